package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Lookup finds an existing deployment by its names, changing nothing, and
// returns the data API's invoke URL: how an app replica that starts after
// the deploy job learns where the API is.
func (d *Deployer) Lookup(ctx context.Context) (string, error) {
	api, err := d.findAPI(ctx)
	if err != nil && !v2Unavailable(err) {
		return "", err
	}
	if api != nil {
		if d.cfg.EndpointURL != "" {
			return strings.TrimSuffix(d.cfg.EndpointURL, "/") + "/_aws/execute-api/" + aws.ToString(api.ApiId), nil
		}
		return strings.TrimSuffix(aws.ToString(api.ApiEndpoint), "/"), nil
	}
	rest, err := d.findRESTAPI(ctx)
	if err != nil {
		return "", err
	}
	if rest == nil {
		return "", fmt.Errorf("no API named %q: run `coolroom deploy` first", d.cfg.APIName)
	}
	if d.cfg.EndpointURL != "" {
		return strings.TrimSuffix(d.cfg.EndpointURL, "/") + "/_aws/execute-api/" + aws.ToString(rest.Id) + "/" + d.cfg.Stage, nil
	}
	return fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com/%s", aws.ToString(rest.Id), d.cfg.AWS.Region, d.cfg.Stage), nil
}
