package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/internal/drill"
	"github.com/coolroom/testbed/internal/drill/awsdrill"
	"github.com/coolroom/testbed/internal/stack"
)

// runDrill breaks the deployed data service on purpose (or restores it)
// through the Lambda API of COOLROOM_TARGET, by default the emulator of a
// running `coolroom up`, and prints what changed and what each hop
// answers now.
func runDrill(ctx context.Context, cfg config.Config, args []string, out io.Writer) error {
	if len(args) != 1 || !drill.Valid(args[0]) {
		return fmt.Errorf("usage: coolroom drill %s", strings.Join(drill.Kinds, "|"))
	}
	t := cfg.Target
	awsCfg, err := stack.AWSConfig(ctx, t.Name, cfg.Region)
	if err != nil {
		return err
	}
	name := t.Namespace(cfg.FunctionName)
	rep, err := drill.Run(ctx, awsdrill.New(awsCfg, t.Endpoint), name, args[0])
	if err != nil {
		if t.Name != config.TargetAWS {
			return fmt.Errorf("%w (is `coolroom up` running? the drill talks to %s)", err, t.Endpoint)
		}
		return err
	}
	printReport(out, rep)
	return nil
}

// printReport shows the calls a drill made and what each hop answers.
func printReport(out io.Writer, rep drill.Report) {
	fmt.Fprintf(out, "Drill %q on %s.\n", rep.Drill, rep.Function)
	if len(rep.Changed) == 0 {
		fmt.Fprintln(out, "  Nothing to change: no drill was on.")
	}
	for _, c := range rep.Changed {
		fmt.Fprintf(out, "  %s\n", c)
	}
	fmt.Fprintln(out, "What each hop answers now:")
	for _, h := range rep.Expect {
		fmt.Fprintf(out, "  %-24s %s\n", h.Hop, h.Answer)
	}
	if rep.Drill != drill.Restore {
		fmt.Fprintln(out, "Watch it in the console's traces; undo with `coolroom drill restore`.")
	}
}
