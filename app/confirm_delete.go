package app

// confirmPage asks "are you sure?" before deleting something.
type confirmPage struct {
	// What names the thing in the question; Quote shows its text.
	What   string
	Quote  string
	Action string
	Cancel string
}
