package config

import (
	"os"
	"strings"
	"testing"
)

// readmeRow is one row of README.md's Configuration tables.
type readmeRow struct{ name, def, meaning string }

// readmeVars parses the tables under README.md's "## Configuration".
func readmeVars(t *testing.T) map[string]readmeRow {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Configuration\n")
	if !ok {
		t.Fatal("README.md has no ## Configuration section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	rows := map[string]readmeRow{}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |"), " | ")
		if len(cells) != 3 {
			t.Errorf("README row with %d cells, want 3: %s", len(cells), line)
			continue
		}
		name, _, _ := strings.Cut(strings.Trim(cells[0], "`"), "`")
		if _, dup := rows[name]; dup {
			t.Errorf("README lists %s twice", name)
		}
		rows[name] = readmeRow{name: cells[0], def: cells[1], meaning: cells[2]}
	}
	return rows
}

// readmeRowOf is the README row a variable must have.
func readmeRowOf(v Var) readmeRow {
	r := readmeRow{name: "`" + v.Name + "`", def: "unset", meaning: v.Meaning}
	if v.Secret {
		r.name += " (or `" + v.Name + "_FILE`)"
	}
	if v.Default != "" {
		r.def = "`" + v.Default + "`"
	}
	return r
}

// TestREADMEListsEveryVariable: the README's Configuration tables and Vars
// list the same variables, with the same default and meaning, and each
// secret with its _FILE form; a failure prints the row to paste.
func TestREADMEListsEveryVariable(t *testing.T) {
	rows := readmeVars(t)
	for _, v := range Vars {
		want := readmeRowOf(v)
		got, ok := rows[v.Name]
		if !ok {
			t.Errorf("README.md does not list %s; add the row\n| %s | %s | %s |", v.Name, want.name, want.def, want.meaning)
			continue
		}
		if got != want {
			t.Errorf("README.md's row for %s differs from internal/config:\n have | %s | %s | %s |\n want | %s | %s | %s |",
				v.Name, got.name, got.def, got.meaning, want.name, want.def, want.meaning)
		}
		delete(rows, v.Name)
	}
	for name := range rows {
		t.Errorf("README.md lists %s, which nothing reads (not in internal/config's Vars)", name)
	}
}

// TestReadersAreKnown: every variable belongs to a reader help prints.
func TestReadersAreKnown(t *testing.T) {
	known := map[string]bool{}
	for _, r := range Readers {
		known[r.Name] = true
	}
	seen := map[string]bool{}
	for _, v := range Vars {
		if !known[v.Reader] {
			t.Errorf("%s: reader %q is not in Readers (help would not show it)", v.Name, v.Reader)
		}
		if seen[v.Name] {
			t.Errorf("%s is listed twice", v.Name)
		}
		seen[v.Name] = true
	}
}
