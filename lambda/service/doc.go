// Package service holds the data service's business rules, applied
// before anything reaches the database: validation, the password policy,
// login throttling, bearer tokens and ownership (only a room's host may
// change it, only a message's author delete it, only a user update
// themselves). It speaks the wire types and errors of package contract.
//
// The package depends on nothing but the standard library and package
// contract, as the root package of benbjohnson/wtf does: storage is
// reached through the Store interface (package store), password hashing
// through PasswordHasher (package password), so the rules can be tested
// with fakes and read without pgx or x/crypto in view. The web app does
// not import it; it reaches the service over HTTP and shares only
// package contract.
package service
