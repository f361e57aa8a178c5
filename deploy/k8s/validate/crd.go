package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

// One served version of a custom resource: what the API server builds from its CRD to admit it.
type crSchema struct {
	structural *structuralschema.Structural
	validator  apiservervalidation.SchemaValidator
	rules      *cel.Validator // nil when the schema has no x-kubernetes-validations
}

// loadCRDs reads every CustomResourceDefinition in the *.yaml files of the directories, keyed by
// "group/version/Kind" for each served version.
func loadCRDs(dirs []string) (map[string]*crSchema, error) {
	schemas := map[string]*crSchema{}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no CRD files", dir)
		}
		for _, file := range files {
			if err := loadCRDFile(file, schemas); err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
		}
	}
	return schemas, nil
}

func loadCRDFile(file string, schemas map[string]*crSchema) error {
	content, err := os.Open(file)
	if err != nil {
		return err
	}
	defer content.Close()
	reader := utilyaml.NewYAMLReader(bufio.NewReader(content))
	for {
		doc, err := reader.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var crd apiextensionsv1.CustomResourceDefinition
		if err := yaml.Unmarshal(doc, &crd); err != nil {
			return err
		}
		if crd.Kind != "CustomResourceDefinition" {
			continue
		}
		for _, version := range crd.Spec.Versions {
			if !version.Served || version.Schema == nil || version.Schema.OpenAPIV3Schema == nil {
				continue
			}
			schema, err := newCRSchema(version.Schema.OpenAPIV3Schema)
			if err != nil {
				return fmt.Errorf("%s %s: %w", crd.Name, version.Name, err)
			}
			schemas[crd.Spec.Group+"/"+version.Name+"/"+crd.Spec.Names.Kind] = schema
		}
	}
}

func newCRSchema(v1 *apiextensionsv1.JSONSchemaProps) (*crSchema, error) {
	var internal apiextensions.JSONSchemaProps
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v1, &internal, nil); err != nil {
		return nil, err
	}
	structural, err := structuralschema.NewStructural(&internal)
	if err != nil {
		return nil, err
	}
	validator, _, err := apiservervalidation.NewSchemaValidator(&internal)
	if err != nil {
		return nil, err
	}
	return &crSchema{structural, validator, cel.NewValidator(structural, true, celconfig.PerCallLimit)}, nil
}

// validate admits one custom resource as the API server would on create: fields its schema does
// not have are refused (strict field validation, found by pruning), then the schema and its CEL
// rules are checked.
func (s *crSchema) validate(doc []byte) []string {
	asJSON, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return []string{err.Error()}
	}
	var object map[string]any
	if err := utiljson.Unmarshal(asJSON, &object); err != nil {
		return []string{err.Error()}
	}
	var problems []string
	unknown := pruning.PruneWithOptions(object, s.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	for _, field := range unknown {
		problems = append(problems, fmt.Sprintf("unknown field %q", field))
	}
	for _, e := range apiservervalidation.ValidateCustomResource(nil, object, s.validator) {
		problems = append(problems, e.Error())
	}
	if s.rules != nil {
		errs, _ := s.rules.Validate(context.Background(), nil, s.structural, object, nil, celconfig.RuntimeCELCostBudget)
		for _, e := range errs {
			problems = append(problems, e.Error())
		}
	}
	return problems
}
