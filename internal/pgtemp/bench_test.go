package pgtemp

import (
	"context"
	"sort"
	"testing"
	"time"
)

// BenchmarkStartFromTemplate measures a warm Start (the data dir copied
// from the cached template), the PostgreSQL part of a warm `coolroom up`,
// and reports the median of each part:
//
//	go test -run '^$' -bench StartFromTemplate -benchtime 10x ./internal/pgtemp
func BenchmarkStartFromTemplate(b *testing.B) {
	if _, err := FindBinDir(); err != nil {
		b.Skip(err)
	}
	ctx := context.Background()
	cache := b.TempDir()
	first, err := Start(ctx, Options{CacheDir: cache}) // makes the template
	if err != nil {
		b.Fatal(err)
	}
	_ = first.Stop()
	var total, tmpl, serve, create []time.Duration
	for b.Loop() {
		start := time.Now()
		c, err := Start(ctx, Options{CacheDir: cache})
		if err != nil {
			b.Fatal(err)
		}
		total = append(total, time.Since(start))
		tm := c.Timings()
		if !c.FromTemplate() {
			b.Fatal("the data dir was not copied from the template")
		}
		tmpl, serve, create = append(tmpl, tm.Template), append(serve, tm.Serve), append(create, tm.NameDatabase)
		b.StopTimer()
		_ = c.Stop()
		b.StartTimer()
	}
	for _, m := range []struct {
		name string
		d    []time.Duration
	}{{"ms-p50-start", total}, {"ms-p50-template-copy", tmpl}, {"ms-p50-serve", serve}, {"ms-p50-name-database", create}} {
		sort.Slice(m.d, func(i, j int) bool { return m.d[i] < m.d[j] })
		b.ReportMetric(float64(m.d[len(m.d)/2].Microseconds())/1000, m.name)
	}
}
