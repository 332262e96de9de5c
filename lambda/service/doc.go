// Package service holds the data service's domain: the JSON wire types that
// the web app's client imports, the typed errors every layer speaks, and the
// business rules applied before anything reaches the database — validation,
// the password policy, login throttling, bearer tokens and ownership (only
// a room's host may change it, only a message's author delete it, only a
// user update themselves).
//
// The package depends on nothing but the standard library so that the web
// app can import the wire contract without pulling in pgx, chi or
// x/crypto. Storage is reached through the Store interface (package
// store), password hashing through PasswordHasher (package password).
package service
