// Strict validation of rendered Kubernetes manifests, offline, with the API server's own code:
// an object of a built-in kind is decoded into its Go type with unknown fields refused (as the API
// server's strict field validation does); an object of a custom resource is checked against its
// CRD's schema (unknown fields, types, enums, required fields and the CEL rules), the CRDs read
// from the directories named on the command line. Reads a multi-document YAML stream on stdin;
// prints one line per problem and exits 1 if there is any. `make test` builds it into .tools/
// (test/deploy/manifests.test.ts) and gives it the CRDs of the operators' pinned releases.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/util/validation"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

func main() {
	customResources, err := loadCRDs(os.Args[1:])
	if err != nil {
		fmt.Printf("loading CRDs: %v\n", err)
		os.Exit(2)
	}
	reader := utilyaml.NewYAMLReader(bufio.NewReader(os.Stdin))
	problems := 0
	count := 0
	for {
		doc, err := reader.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Printf("reading: %v\n", err)
			os.Exit(1)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		count++
		var h header
		if err := yaml.Unmarshal(doc, &h); err != nil {
			fmt.Printf("document %d: %v\n", count, err)
			problems++
			continue
		}
		where := fmt.Sprintf("%s/%s %s", h.APIVersion, h.Kind, h.Metadata.Name)
		var found []string
		if newObject, builtIn := builtInKinds[h.APIVersion+"/"+h.Kind]; builtIn {
			if err := yaml.UnmarshalStrict(doc, newObject()); err != nil {
				found = append(found, err.Error())
			}
		} else if schema, custom := customResources[h.APIVersion+"/"+h.Kind]; custom {
			found = schema.validate(doc)
		} else {
			found = []string{"a kind this validator does not know"}
		}
		found = append(found, validation.IsDNS1123Subdomain(h.Metadata.Name)...)
		for _, msg := range found {
			fmt.Printf("%s: %s\n", where, msg)
		}
		problems += len(found)
	}
	if problems > 0 {
		os.Exit(1)
	}
	fmt.Printf("%d objects valid\n", count)
}
