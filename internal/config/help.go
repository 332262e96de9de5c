package config

import (
	"fmt"
	"io"
	"regexp"
)

// WriteHelp prints every variable with its default, grouped by reader:
// the environment part of `coolroom help`.
func WriteHelp(w io.Writer) {
	for _, rd := range Readers {
		fmt.Fprintf(w, "\nEnvironment of %s (defaults in brackets):\n", rd.Heading)
		for _, v := range Vars {
			if v.Reader != rd.Name {
				continue
			}
			fmt.Fprintf(w, "  %-26s %s [%s]\n", v.Name, mdLink.ReplaceAllString(v.Meaning, "$1 in README.md"), v.DefaultText())
			if v.Secret {
				fmt.Fprintf(w, "  %-26s or a file holding it\n", v.Name+"_FILE")
			}
		}
	}
}

// DefaultText is the default as help and the README show it.
func (v Var) DefaultText() string {
	if v.Default == "" {
		return "unset"
	}
	return v.Default
}

// mdLink is a Markdown link to a README section, shown in a terminal as its
// text.
var mdLink = regexp.MustCompile(`\[([^\]]+)\]\(#[^)]*\)`)
