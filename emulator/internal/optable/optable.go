// Package optable checks a service's table of operations against the
// README that documents it: the README's operation tables name each
// operation with the file that implements it, and the services' tests use
// this package to keep the two the same in both directions.
package optable

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
)

// Listed returns the operations listed in the Markdown tables of the README
// section that starts with the heading line section (up to the next heading
// of the same or a higher level), each with the file named in backticks in
// the row's last cell. An operation cell may list several, separated by
// commas or " / ", shorten a shared noun ("Put/Get/DeleteObjectTagging"),
// and add remarks in parentheses, which are not part of the names.
func Listed(readme, section string) (map[string]string, error) {
	start := strings.Index("\n"+readme, "\n"+section+"\n")
	if start < 0 {
		return nil, fmt.Errorf("no section %q", section)
	}
	level := headingLevel(section)
	var body []string
	for _, line := range strings.Split(readme[start:], "\n")[1:] {
		if n := headingLevel(line); n > 0 && n <= level {
			break
		}
		body = append(body, line)
	}
	out := map[string]string{}
	for _, line := range body {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if !strings.HasPrefix(line, "|") || len(cells) < 2 || strings.HasPrefix(strings.TrimSpace(cells[0]), "---") {
			continue
		}
		file := fileIn(cells[len(cells)-1])
		if file == "" {
			continue // the header, or a table without a file column
		}
		for _, name := range names(cells[0]) {
			if prev, ok := out[name]; ok && prev != file {
				return nil, fmt.Errorf("%s is listed with %s and %s", name, prev, file)
			}
			out[name] = file
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("section %q has no operation table with a file column", section)
	}
	return out, nil
}

var (
	remark     = regexp.MustCompile(`\s*\([^)]*\)`)
	sharedNoun = regexp.MustCompile(`^((?:[A-Z][a-z]+/)+)([A-Z][a-z]+)([A-Z]\w*)$`)
	fileName   = regexp.MustCompile("`([\\w.-]+\\.go)`")
)

// headingLevel is the level of a Markdown heading line (2 for "## x"), or 0.
func headingLevel(line string) int {
	n := len(line) - len(strings.TrimLeft(line, "#"))
	if n == 0 || !strings.HasPrefix(line[n:], " ") {
		return 0
	}
	return n
}

func fileIn(cell string) string {
	m := fileName.FindStringSubmatch(cell)
	if m == nil {
		return ""
	}
	return m[1]
}

// Name is an operation's name without remarks in parentheses, as the
// README tables are read: "ListObjects (v1)" is ListObjects.
func Name(op string) string { return strings.TrimSpace(remark.ReplaceAllString(op, "")) }

func names(cell string) []string {
	var out []string
	cell = remark.ReplaceAllString(cell, "")
	for _, part := range strings.FieldsFunc(cell, func(r rune) bool { return r == ',' }) {
		for _, name := range strings.Split(part, " / ") {
			name = strings.Trim(strings.TrimSpace(name), "`")
			if m := sharedNoun.FindStringSubmatch(name); m != nil {
				verbs := append(strings.Split(strings.TrimSuffix(m[1], "/"), "/"), m[2])
				for _, v := range verbs {
					out = append(out, v+m[3])
				}
				continue
			}
			if name != "" {
				out = append(out, name)
			}
		}
	}
	return out
}

// FileOf returns the base name of the file that declares fn, a function or
// method expression.
func FileOf(fn any) string {
	f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer())
	if f == nil {
		return ""
	}
	file, _ := f.FileLine(f.Entry())
	return filepath.Base(file)
}

// Op is one routed operation, for Check: its AWS name, its route (for the
// message) and its handler (a function or method expression).
type Op struct {
	Name, Pattern string
	Handle        any
}

// Check compares the operations a service routes with the tables of a
// section of the README at readmePath and returns each difference: an
// operation not listed, listed with another file than its handler's, or
// listed but not routed.
func Check(readmePath, section string, ops []Op) []string {
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		return []string{err.Error()}
	}
	listed, err := Listed(string(readme), section)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	routed := map[string]bool{}
	for _, op := range ops {
		routed[op.Name] = true
		file, ok := listed[op.Name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: %s (%s) is not listed", section, op.Name, op.Pattern))
			continue
		}
		if got := FileOf(op.Handle); got != file {
			problems = append(problems, fmt.Sprintf("%s: %s is listed in %s but implemented in %s", section, op.Name, file, got))
		}
	}
	for name := range listed {
		if !routed[name] {
			problems = append(problems, fmt.Sprintf("%s lists %s, which the service does not route", section, name))
		}
	}
	return problems
}
