package app

import "sync"

// parallel runs independent data API calls at once, so a page costs one
// round trip through API Gateway instead of several, and returns the
// first error by argument order.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
