package deploy

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Flavour is the kind of API Gateway API in front of the function.
type Flavour string

// The API flavours. The data service serves both payload formats, so the
// tests never need to know which one a target got.
const (
	FlavourAuto Flavour = ""
	FlavourHTTP Flavour = "http" // API Gateway v2 HTTP API, payload 2.0
	FlavourREST Flavour = "rest" // API Gateway v1 REST API, {proxy+}, payload 1.0
)

// chooseFlavour resolves FlavourAuto by asking API Gateway v2 for its APIs:
// a 501 (LocalStack Community: "not yet implemented or pro feature") means
// only REST APIs exist there.
func (d *Deployer) chooseFlavour(ctx context.Context) (Flavour, error) {
	if d.cfg.Flavour != FlavourAuto {
		return d.cfg.Flavour, nil
	}
	_, err := d.apigw.GetApis(ctx, &apigatewayv2.GetApisInput{})
	if err == nil {
		return FlavourHTTP, nil
	}
	if v2Unavailable(err) {
		d.log.Info("API Gateway v2 is not available here; deploying a REST API proxy instead", "reason", err)
		return FlavourREST, nil
	}
	return "", fmt.Errorf("probe API Gateway v2: %w", err)
}

// v2Unavailable reports whether err says the endpoint has no API Gateway v2.
func v2Unavailable(err error) bool {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode() == http.StatusNotImplemented
	}
	return false
}
