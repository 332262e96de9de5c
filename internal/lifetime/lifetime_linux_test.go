package lifetime

// useWatchdog makes Linux use the macOS way, so the watchdog is proven here.
func useWatchdog(on bool) { forceWatchdog = on }
