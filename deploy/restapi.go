package deploy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	resttypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// ensureRESTAPI finds or creates a REST API whose resources and methods
// are exactly restMethods (one method per data-API endpoint, plus ANY on
// the root and on /{proxy+} as the catch-all), all AWS_PROXY to the
// function, deployed to the stage. Methods and resources no longer wanted
// are deleted. A deployment is made only when something changed.
func (d *Deployer) ensureRESTAPI(ctx context.Context, res *Result) error {
	api, err := d.findRESTAPI(ctx)
	if err != nil {
		return err
	}
	changed := false
	if api == nil {
		out, err := d.rest.CreateRestApi(ctx, &apigateway.CreateRestApiInput{
			Name: aws.String(d.cfg.APIName), Description: aws.String("The Cool Room data API"),
		})
		if err != nil {
			return err
		}
		api = &resttypes.RestApi{Id: out.Id, Name: out.Name, RootResourceId: out.RootResourceId}
		res.changed("rest api")
		changed = true
		d.log.Info("REST API created", "api_id", aws.ToString(api.Id))
	}
	apiID := aws.ToString(api.Id)
	res.APIID = apiID
	region := arnPart(res.FunctionARN, 3)
	uri := fmt.Sprintf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", region, res.FunctionARN)
	did, err := d.ensureRESTResources(ctx, api.Id, uri, res)
	if err != nil {
		return err
	}
	changed = changed || did
	if changed || !d.restStageExists(ctx, api.Id) {
		if _, err := d.rest.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api.Id, StageName: aws.String(d.cfg.Stage)}); err != nil {
			return err
		}
		res.changed("deployment to stage " + d.cfg.Stage)
	}
	if err := d.ensureInvokePermission(ctx, fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/*/*", region, arnPart(res.FunctionARN, 4), apiID), res); err != nil {
		return err
	}
	if d.cfg.EndpointURL != "" {
		res.InvokeURL = strings.TrimSuffix(d.cfg.EndpointURL, "/") + "/_aws/execute-api/" + apiID + "/" + d.cfg.Stage
	} else {
		res.InvokeURL = fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com/%s", apiID, region, d.cfg.Stage)
	}
	return nil
}

// ensureRESTResources makes the API's resources and methods match
// restMethods; it reports whether it changed anything.
func (d *Deployer) ensureRESTResources(ctx context.Context, apiID *string, uri string, res *Result) (bool, error) {
	byPath := map[string]*resttypes.Resource{}
	var position *string
	for {
		out, err := d.rest.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: apiID, Embed: []string{"methods"}, Position: position, Limit: aws.Int32(500)})
		if err != nil {
			return false, err
		}
		for i := range out.Items {
			byPath[aws.ToString(out.Items[i].Path)] = &out.Items[i]
		}
		if out.Position == nil || len(out.Items) == 0 {
			break
		}
		position = out.Position
	}
	if byPath["/"] == nil {
		return false, fmt.Errorf("REST API %s has no root resource", aws.ToString(apiID))
	}
	want := restMethods()
	paths := make([]string, 0, len(want))
	for p := range want {
		paths = append(paths, p)
	}
	sort.Strings(paths) // parents before their children
	changed, count := false, 0
	for _, p := range paths {
		r, err := d.ensureResource(ctx, apiID, p, byPath, res)
		if err != nil {
			return false, err
		}
		changed = changed || r.created
		methods := map[string]bool{}
		for _, m := range want[p] {
			methods[m] = true
			did, err := d.ensureProxyMethod(ctx, apiID, r.Resource, m, uri)
			if err != nil {
				return false, fmt.Errorf("method %s %s: %w", m, p, err)
			}
			if did {
				res.changed("method " + m + " " + p)
			}
			changed = changed || did
			count++
		}
		for m := range r.ResourceMethods {
			if methods[m] {
				continue
			}
			if _, err := d.rest.DeleteMethod(ctx, &apigateway.DeleteMethodInput{RestApiId: apiID, ResourceId: r.Id, HttpMethod: aws.String(m)}); err != nil {
				return false, fmt.Errorf("remove method %s %s: %w", m, p, err)
			}
			res.changed("removed method " + m + " " + p)
			changed = true
		}
	}
	// Resources no longer wanted, outermost first (deleting one deletes
	// what is under it).
	var stale []string
	for p := range byPath {
		if want[p] == nil && !isAncestorOfAny(p, want) {
			stale = append(stale, p)
		}
	}
	sort.Strings(stale)
	for i, p := range stale {
		if i > 0 && strings.HasPrefix(p, stale[i-1]+"/") {
			continue
		}
		if _, err := d.rest.DeleteResource(ctx, &apigateway.DeleteResourceInput{RestApiId: apiID, ResourceId: byPath[p].Id}); err != nil {
			return false, fmt.Errorf("remove resource %s: %w", p, err)
		}
		res.changed("removed resource " + p)
		changed = true
	}
	res.Routes = count
	return changed, nil
}

// foundResource is a resource and whether this run created it.
type foundResource struct {
	*resttypes.Resource
	created bool
}

// ensureResource returns the resource at path, creating it (and its
// parents, which sort before it) when missing.
func (d *Deployer) ensureResource(ctx context.Context, apiID *string, path string, byPath map[string]*resttypes.Resource, res *Result) (foundResource, error) {
	if r, ok := byPath[path]; ok {
		return foundResource{Resource: r}, nil
	}
	parentPath, part := path[:strings.LastIndex(path, "/")], path[strings.LastIndex(path, "/")+1:]
	if parentPath == "" {
		parentPath = "/"
	}
	parent, err := d.ensureResource(ctx, apiID, parentPath, byPath, res)
	if err != nil {
		return foundResource{}, err
	}
	out, err := d.rest.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: apiID, ParentId: parent.Id, PathPart: aws.String(part)})
	if err != nil {
		return foundResource{}, fmt.Errorf("resource %s: %w", path, err)
	}
	r := &resttypes.Resource{Id: out.Id, Path: out.Path, ParentId: out.ParentId, PathPart: out.PathPart}
	byPath[path] = r
	res.changed("resource " + path)
	return foundResource{Resource: r, created: true}, nil
}

func isAncestorOfAny(p string, want map[string][]string) bool {
	for w := range want {
		if p == "/" || strings.HasPrefix(w, p+"/") {
			return true
		}
	}
	return false
}

// ensureProxyMethod puts method with an AWS_PROXY integration on r unless
// it is already there with the same URI; it reports whether it changed
// anything.
func (d *Deployer) ensureProxyMethod(ctx context.Context, apiID *string, r *resttypes.Resource, method, uri string) (bool, error) {
	if m, ok := r.ResourceMethods[method]; ok && m.MethodIntegration != nil && aws.ToString(m.MethodIntegration.Uri) == uri {
		return false, nil
	}
	if _, ok := r.ResourceMethods[method]; !ok {
		if _, err := d.rest.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: apiID, ResourceId: r.Id, HttpMethod: aws.String(method), AuthorizationType: aws.String("NONE")}); err != nil {
			return false, err
		}
	}
	_, err := d.rest.PutIntegration(ctx, &apigateway.PutIntegrationInput{
		RestApiId: apiID, ResourceId: r.Id, HttpMethod: aws.String(method),
		Type: resttypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(uri),
	})
	return err == nil, err
}

func (d *Deployer) restStageExists(ctx context.Context, apiID *string) bool {
	_, err := d.rest.GetStage(ctx, &apigateway.GetStageInput{RestApiId: apiID, StageName: aws.String(d.cfg.Stage)})
	return err == nil
}

func (d *Deployer) findRESTAPI(ctx context.Context) (*resttypes.RestApi, error) {
	var position *string
	for {
		out, err := d.rest.GetRestApis(ctx, &apigateway.GetRestApisInput{Position: position, Limit: aws.Int32(500)})
		if err != nil {
			return nil, err
		}
		for i := range out.Items {
			if aws.ToString(out.Items[i].Name) == d.cfg.APIName {
				return &out.Items[i], nil
			}
		}
		if out.Position == nil || len(out.Items) == 0 {
			return nil, nil
		}
		position = out.Position
	}
}

// ensureInvokePermission lets API Gateway invoke the function (required on
// AWS, stored by the emulators); an existing statement is kept.
func (d *Deployer) ensureInvokePermission(ctx context.Context, sourceARN string, res *Result) error {
	_, err := d.lambda.AddPermission(ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String(d.cfg.FunctionName),
		StatementId:  aws.String(permissionID),
		Action:       aws.String("lambda:InvokeFunction"),
		Principal:    aws.String("apigateway.amazonaws.com"),
		SourceArn:    aws.String(sourceARN),
	})
	var conflict *lambdatypes.ResourceConflictException
	if errors.As(err, &conflict) {
		return nil
	}
	if err != nil {
		return err
	}
	res.changed("invoke permission")
	return nil
}

// arnPart returns field i of an ARN (3 = region, 4 = account).
func arnPart(arn string, i int) string {
	parts := strings.Split(arn, ":")
	if i < len(parts) {
		return parts[i]
	}
	return ""
}
