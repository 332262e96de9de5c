// The Lambda operations the emulator serves: one table of AWS name, route
// and handler, from which New builds the router. emulator/README.md's
// Lambda table lists the same operations with each handler's file
// (TestREADMEListsEveryOperation keeps the two equal).

package lambda

import (
	"fmt"
	"net/http"

	"github.com/coolroom/testbed/emulator/awserr"
)

// operation is one control-plane operation: its AWS name, the route it is
// served on, and its handler as a method expression (which lets a test find
// the file that implements it).
type operation struct {
	name    string
	pattern string
	handle  func(*Service, http.ResponseWriter, *http.Request)
}

// The routes' common prefixes: the functions, one function, its URL.
const (
	functionsPath = "/2015-03-31/functions"
	functionPath  = functionsPath + "/{name}"
	urlPath       = "/2021-10-31/functions/{name}/url"
)

var operations = []operation{
	{"CreateFunction", "POST " + functionsPath, (*Service).handleCreateFunction},
	{"ListFunctions", "GET " + functionsPath, (*Service).handleListFunctions},
	{"ListFunctions", "GET " + functionsPath + "/", (*Service).handleListFunctions},
	{"GetFunction", "GET " + functionPath, (*Service).handleGetFunction},
	{"DeleteFunction", "DELETE " + functionPath, (*Service).handleDeleteFunction},
	{"GetFunctionConfiguration", "GET " + functionPath + "/configuration", (*Service).handleGetFunctionConfiguration},
	{"UpdateFunctionConfiguration", "PUT " + functionPath + "/configuration", (*Service).handleUpdateFunctionConfiguration},
	{"UpdateFunctionCode", "PUT " + functionPath + "/code", (*Service).handleUpdateFunctionCode},
	{"Invoke", "POST " + functionPath + "/invocations", (*Service).handleInvoke},
	{"AddPermission", "POST " + functionPath + "/policy", (*Service).handleAddPermission},
	{"GetPolicy", "GET " + functionPath + "/policy", (*Service).handleGetPolicy},
	{"RemovePermission", "DELETE " + functionPath + "/policy/{sid}", (*Service).handleRemovePermission},
	{"PublishVersion", "POST " + functionPath + "/versions", (*Service).handlePublishVersion},
	{"ListVersionsByFunction", "GET " + functionPath + "/versions", (*Service).handleListVersions},
	{"CreateAlias", "POST " + functionPath + "/aliases", (*Service).handleCreateAlias},
	{"ListAliases", "GET " + functionPath + "/aliases", (*Service).handleListAliases},
	{"GetAlias", "GET " + functionPath + "/aliases/{alias}", (*Service).handleGetAlias},
	{"UpdateAlias", "PUT " + functionPath + "/aliases/{alias}", (*Service).handleUpdateAlias},
	{"DeleteAlias", "DELETE " + functionPath + "/aliases/{alias}", (*Service).handleDeleteAlias},
	{"CreateFunctionUrlConfig", "POST " + urlPath, (*Service).handleCreateFunctionURL},
	{"GetFunctionUrlConfig", "GET " + urlPath, (*Service).handleGetFunctionURL},
	{"UpdateFunctionUrlConfig", "PUT " + urlPath, (*Service).handleUpdateFunctionURL},
	{"DeleteFunctionUrlConfig", "DELETE " + urlPath, (*Service).handleDeleteFunctionURL},
	{"ListFunctionUrlConfigs", "GET /2021-10-31/functions/{name}/urls", (*Service).handleListFunctionURLs},
	{"PutFunctionConcurrency", "PUT /2017-10-31/functions/{name}/concurrency", (*Service).handlePutFunctionConcurrency},
	{"DeleteFunctionConcurrency", "DELETE /2017-10-31/functions/{name}/concurrency", (*Service).handleDeleteFunctionConcurrency},
	{"GetFunctionConcurrency", "GET /2019-09-30/functions/{name}/concurrency", (*Service).handleGetFunctionConcurrency},
}

// routes builds the router: every operation, the download behind
// GetFunction's Code.Location (not an AWS operation: AWS serves it from
// S3), and NotImplemented for the rest.
func (s *Service) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for _, op := range operations {
		handle := op.handle
		mux.HandleFunc(op.pattern, func(w http.ResponseWriter, r *http.Request) { handle(s, w, r) })
	}
	mux.HandleFunc("GET "+functionPath+"/code", s.handleGetCode)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		awserr.Write(w, awserr.New(http.StatusNotImplemented, awserr.NotImplemented,
			fmt.Sprintf("the emulator does not implement the Lambda operation %s %s", r.Method, r.URL.Path)))
	})
	return mux
}
