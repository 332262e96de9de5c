package s3

// maxRememberedCompletions bounds how many completed uploads a bucket
// remembers for retried CompleteMultipartUpload requests.
const maxRememberedCompletions = 256

// completion is the remembered answer to one CompleteMultipartUpload.
type completion struct {
	uploadID string
	key      string
	// versionID is the version the completion created ("" unversioned).
	versionID string
	result    completeMultipartUploadResult
}

// recentCompletions is a bounded FIFO of completions. Guarded by
// Service.mu.
type recentCompletions struct {
	entries []completion
}

// add remembers a completion, forgetting the oldest beyond the bound.
func (rc *recentCompletions) add(c completion) {
	if len(rc.entries) == maxRememberedCompletions {
		rc.entries = append(rc.entries[:0], rc.entries[1:]...)
	}
	rc.entries = append(rc.entries, c)
}

// find returns the completion of an upload of key, if remembered.
func (rc *recentCompletions) find(uploadID, key string) (completion, bool) {
	for i := len(rc.entries) - 1; i >= 0; i-- {
		if e := rc.entries[i]; e.uploadID == uploadID && e.key == key {
			return e, true
		}
	}
	return completion{}, false
}
