package app

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
)

// maxProfileBody bounds what the profile form's POST may send in all. It is
// well above the avatar limit on purpose: a picture that is too big is
// read through (and dropped) so the form can come back with the other
// fields and an error, instead of a 413 page that throws them away. Beyond
// this the connection is cut.
const maxProfileBody = 32 << 20

// profileUpload is the profile form as posted: its text fields, the
// chosen picture (nil when none) and whether the picture was over the
// limit (then Avatar is nil and the rest was read past and dropped).
type profileUpload struct {
	Fields  url.Values
	Avatar  []byte
	TooBig  bool
	Partial bool // the body passed maxProfileBody: fields after the picture are missing
}

// readProfileUpload reads the profile form part by part, holding at most
// avatarMax+1 bytes of the picture and maxFormBytes of text in memory.
// The form puts the picture last, so the text fields arrive first even
// when the body is cut short.
func readProfileUpload(w http.ResponseWriter, r *http.Request, avatarMax int64) (*profileUpload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxProfileBody)
	up := &profileUpload{Fields: url.Values{}}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		up.Fields = r.PostForm
		return up, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	// The text fields are the request's form too, as ParseMultipartForm
	// would make them: a post whose session ended keeps them as a draft.
	r.PostForm, r.Form = up.Fields, up.Fields
	textLeft := int64(maxFormBytes)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			up.Partial = true
			return up, nil
		}
		if err != nil {
			return nil, err
		}
		if part.FormName() == "avatar" && part.FileName() != "" {
			data, err := io.ReadAll(io.LimitReader(part, avatarMax+1))
			if err == nil && int64(len(data)) > avatarMax {
				up.TooBig = true
				_, err = io.Copy(io.Discard, part)
			}
			if errors.As(err, &tooBig) {
				up.TooBig, up.Partial = true, true
				return up, nil
			}
			if err != nil {
				return nil, err
			}
			if !up.TooBig && len(data) > 0 {
				up.Avatar = data
			}
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, textLeft+1))
		if errors.As(err, &tooBig) {
			up.Partial = true
			return up, nil
		}
		if err != nil {
			return nil, err
		}
		if textLeft -= int64(len(data)); textLeft < 0 {
			return nil, errors.New("profile form: text fields over the limit")
		}
		up.Fields.Add(part.FormName(), string(data))
	}
}
