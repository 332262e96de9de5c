package service

import (
	_ "embed"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Password policy, modelled on Django's default validators.
const (
	MinPassword = 8
	// MaxPassword bounds the work of hashing an attacker-chosen string.
	MaxPassword = 256
	// maxSimilarity is Django's UserAttributeSimilarityValidator default.
	maxSimilarity = 0.7
)

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is the embedded list as a set, built once.
var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	for _, l := range strings.Split(commonPasswordsText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			set[l] = true
		}
	}
	return set
}()

// checkPassword applies the policy to password for a user with the given
// attributes, returning every problem joined into one message ("" when
// the password is acceptable), as Django lists them all.
func checkPassword(password, username, email, name string) string {
	if password == "" {
		return "is required"
	}
	var problems []string
	n := utf8.RuneCountInString(password)
	if n < MinPassword {
		problems = append(problems, "must be at least "+strconv.Itoa(MinPassword)+" characters")
	}
	if n > MaxPassword {
		problems = append(problems, "must be at most "+strconv.Itoa(MaxPassword)+" characters")
	}
	if isAllDigits(password) {
		problems = append(problems, "must not be entirely numeric")
	}
	if commonPasswords[strings.ToLower(strings.TrimSpace(password))] {
		problems = append(problems, "is too common")
	}
	for _, attr := range []struct{ label, value string }{
		{"username", username}, {"email", email}, {"name", name},
	} {
		if tooSimilar(password, attr.value) {
			problems = append(problems, "is too similar to the "+attr.label)
			break
		}
	}
	return strings.Join(problems, "; ")
}

func isAllDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// tooSimilar is Django's UserAttributeSimilarityValidator: the password
// is compared (lower-cased) with the whole attribute and with each of its
// parts split at non-word characters (so "alice" from "alice@x.org"), by
// difflib's quick_ratio: 2·(common characters)/(total characters).
func tooSimilar(password, value string) bool {
	if value == "" {
		return false
	}
	pw := strings.ToLower(password)
	value = strings.ToLower(value)
	parts := strings.FieldsFunc(value, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
	})
	for _, part := range append(parts, value) {
		if exceedsLengthRatio(pw, part) {
			continue
		}
		if quickRatio(pw, part) >= maxSimilarity {
			return true
		}
	}
	return false
}

// exceedsLengthRatio skips comparisons that cannot reach the threshold
// because the password is far longer than the value (Django's shortcut).
func exceedsLengthRatio(pw, value string) bool {
	p, v := utf8.RuneCountInString(pw), utf8.RuneCountInString(value)
	return p >= 10*v && float64(v) < maxSimilarity/2*float64(p)
}

// quickRatio is difflib.SequenceMatcher.quick_ratio: an upper bound on
// the similarity of a and b from their character multisets.
func quickRatio(a, b string) float64 {
	total := utf8.RuneCountInString(a) + utf8.RuneCountInString(b)
	if total == 0 {
		return 1
	}
	avail := map[rune]int{}
	for _, r := range b {
		avail[r]++
	}
	matches := 0
	for _, r := range a {
		if avail[r] > 0 {
			avail[r]--
			matches++
		}
	}
	return 2 * float64(matches) / float64(total)
}
