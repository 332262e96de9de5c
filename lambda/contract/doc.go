// Package contract is the data API's wire contract: the JSON bodies of
// every request and answer, the error codes with the HTTP status each
// travels with, and the error body. The data service (package service),
// its router (package router) and the web app's client (app/dataapi) all
// compile against it, so the two ends of the API cannot disagree about a
// field; the app still reaches the service only over HTTP, through API
// Gateway.
//
// It is called contract, not api or types, because lambda/README.md
// calls the routes and bodies "the contract" and "API" already names API
// Gateway's product. It imports nothing but the standard library, so
// importing it gives the app none of the service's dependencies (pgx,
// chi, x/crypto).
package contract
