// Package service holds the data service's domain: the JSON wire types that
// the web app's client imports, the typed errors every layer speaks, and the
// business rules (validation, defaults) applied before anything reaches the
// database.
//
// The package depends on nothing but the standard library so that the web
// app can import the wire contract without pulling in pgx or chi. Storage is
// reached through the Store interface, implemented by package store.
package service
