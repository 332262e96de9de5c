package apigateway

import (
	"context"
	"crypto"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// JWT validation as HTTP API JWT authorizers do it: an RSA-signed token
// (RS256/384/512) whose kid is in the issuer's JWKS (found through
// <issuer>/.well-known/openid-configuration), iss equal to the issuer, aud
// or client_id one of the audiences, exp in the future, nbf and iat not.

// jwksTTL is how long fetched keys are trusted before being fetched again;
// a token with an unknown kid fetches them at once.
const jwksTTL = 5 * time.Minute

// jwksCache holds the keys of each issuer.
type jwksCache struct {
	mu   sync.Mutex
	sets map[string]jwksEntry
}

type jwksEntry struct {
	keys    map[string]*rsa.PublicKey
	fetched time.Time
}

var jwksClient = &http.Client{Timeout: 5 * time.Second}

func (c *jwksCache) key(ctx context.Context, issuer, kid string) (*rsa.PublicKey, error) {
	c.mu.Lock()
	e, ok := c.sets[issuer]
	c.mu.Unlock()
	if ok && time.Since(e.fetched) < jwksTTL {
		if k := e.keys[kid]; k != nil {
			return k, nil
		}
	}
	keys, err := fetchJWKS(ctx, issuer)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.sets == nil {
		c.sets = map[string]jwksEntry{}
	}
	c.sets[issuer] = jwksEntry{keys: keys, fetched: time.Now()}
	c.mu.Unlock()
	if k := keys[kid]; k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("no key with kid %q in the issuer's JWKS", kid)
}

func getJSON(ctx context.Context, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := jwksClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v)
}

func fetchJWKS(ctx context.Context, issuer string) (map[string]*rsa.PublicKey, error) {
	var disc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := getJSON(ctx, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", &disc); err != nil {
		return nil, err
	}
	if disc.JWKSURI == "" {
		return nil, errors.New("the issuer's openid-configuration has no jwks_uri")
	}
	var set struct {
		Keys []struct {
			Kty, Kid, N, E string
		} `json:"keys"`
	}
	if err := getJSON(ctx, disc.JWKSURI, &set); err != nil {
		return nil, err
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" {
			continue
		}
		n, errN := base64.RawURLEncoding.DecodeString(k.N)
		e, errE := base64.RawURLEncoding.DecodeString(k.E)
		if errN != nil || errE != nil || len(e) == 0 || len(e) > 4 {
			continue
		}
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return keys, nil
}

var jwtHashes = map[string]crypto.Hash{"RS256": crypto.SHA256, "RS384": crypto.SHA384, "RS512": crypto.SHA512}

// validateJWT checks token for cfg and returns its claims (decoded with
// numbers kept as written).
func (c *jwksCache) validateJWT(ctx context.Context, token string, cfg JWTConfiguration, now time.Time) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("the token is not a JWT")
	}
	var header struct{ Alg, Kid string }
	if err := decodeSegment(parts[0], &header); err != nil {
		return nil, errors.New("the token's header is not valid")
	}
	hash, ok := jwtHashes[header.Alg]
	if !ok {
		return nil, fmt.Errorf("the token's algorithm %q is not supported: use RS256, RS384 or RS512", header.Alg)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, errors.New("the token's signature is not valid")
	}
	key, err := c.key(ctx, cfg.Issuer, header.Kid)
	if err != nil {
		return nil, err
	}
	h := hash.New()
	h.Write([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(key, hash, h.Sum(nil), sig); err != nil {
		return nil, errors.New("the token's signature does not verify")
	}
	var claims map[string]any
	if err := decodeSegment(parts[1], &claims); err != nil {
		return nil, errors.New("the token's claims are not valid")
	}
	if iss, _ := claims["iss"].(string); iss != cfg.Issuer {
		return nil, fmt.Errorf("the token's issuer %q is not %q", iss, cfg.Issuer)
	}
	if !audienceMatches(claims, cfg.Audience) {
		return nil, errors.New("the token's audience (aud or client_id) is not accepted")
	}
	exp, ok := numericClaim(claims, "exp")
	if !ok || !now.Before(time.Unix(exp, 0)) {
		return nil, errors.New("the token has expired")
	}
	for _, name := range []string{"nbf", "iat"} {
		if t, ok := numericClaim(claims, name); ok && now.Before(time.Unix(t, 0)) {
			return nil, fmt.Errorf("the token's %s is in the future", name)
		}
	}
	return claims, nil
}

func decodeSegment(seg string, v any) error {
	data, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return err
	}
	d := json.NewDecoder(strings.NewReader(string(data)))
	d.UseNumber()
	return d.Decode(v)
}

func numericClaim(claims map[string]any, name string) (int64, bool) {
	n, ok := claims[name].(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return int64(f), err == nil
}

func audienceMatches(claims map[string]any, accepted []string) bool {
	var auds []string
	switch v := claims["aud"].(type) {
	case string:
		auds = append(auds, v)
	case []any:
		for _, a := range v {
			if s, ok := a.(string); ok {
				auds = append(auds, s)
			}
		}
	}
	if id, ok := claims["client_id"].(string); ok {
		auds = append(auds, id)
	}
	for _, a := range auds {
		for _, want := range accepted {
			if a == want {
				return true
			}
		}
	}
	return false
}

// tokenScopes are the token's scope (space-separated) or scp claim.
func tokenScopes(claims map[string]any) []string {
	switch v := claims["scope"].(type) {
	case string:
		return strings.Fields(v)
	}
	switch v := claims["scp"].(type) {
	case string:
		return strings.Fields(v)
	case []any:
		var out []string
		for _, s := range v {
			if str, ok := s.(string); ok {
				out = append(out, str)
			}
		}
		return out
	}
	return nil
}

// claimStrings renders claims as the event carries them: strings as they
// are, numbers as written, arrays as "[a b]", objects as JSON.
func claimStrings(claims map[string]any) map[string]string {
	out := make(map[string]string, len(claims))
	for k, v := range claims {
		switch t := v.(type) {
		case string:
			out[k] = t
		case json.Number:
			out[k] = t.String()
		case bool:
			out[k] = strconv.FormatBool(t)
		case []any:
			parts := make([]string, len(t))
			for i, p := range t {
				parts[i] = fmt.Sprint(p)
			}
			out[k] = "[" + strings.Join(parts, " ") + "]"
		default:
			b, _ := json.Marshal(t)
			out[k] = string(b)
		}
	}
	return out
}
