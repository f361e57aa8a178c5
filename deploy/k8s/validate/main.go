// Strict validation of rendered Kubernetes manifests against the API's own Go types: every
// object of a kind we know is decoded with unknown fields refused (as the API server's strict
// field validation does), then checked for what decoding cannot see (names, required fields of
// the workloads). Reads a multi-document YAML stream on stdin; prints one line per problem and
// exits 1 if there is any. `make test` builds it into .tools/ (test/deploy/manifests.test.ts).
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// The kinds the manifests may hold, each with the Go type the API server decodes it into.
var kinds = map[string]func() any{
	"v1/ConfigMap":                           func() any { return &corev1.ConfigMap{} },
	"v1/Service":                             func() any { return &corev1.Service{} },
	"v1/ServiceAccount":                      func() any { return &corev1.ServiceAccount{} },
	"apps/v1/Deployment":                     func() any { return &appsv1.Deployment{} },
	"batch/v1/Job":                           func() any { return &batchv1.Job{} },
	"policy/v1/PodDisruptionBudget":          func() any { return &policyv1.PodDisruptionBudget{} },
	"autoscaling/v2/HorizontalPodAutoscaler": func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"networking.k8s.io/v1/NetworkPolicy":     func() any { return &networkingv1.NetworkPolicy{} },
}

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

func main() {
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
		newObject, known := kinds[h.APIVersion+"/"+h.Kind]
		if !known {
			fmt.Printf("%s: a kind this validator does not know\n", where)
			problems++
			continue
		}
		if err := yaml.UnmarshalStrict(doc, newObject()); err != nil {
			fmt.Printf("%s: %v\n", where, err)
			problems++
		}
		for _, msg := range validation.IsDNS1123Subdomain(h.Metadata.Name) {
			fmt.Printf("%s: name: %s\n", where, msg)
			problems++
		}
	}
	if problems > 0 {
		os.Exit(1)
	}
	fmt.Printf("%d objects valid\n", count)
}
