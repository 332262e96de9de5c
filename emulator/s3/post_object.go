package s3

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxPostFieldBytes bounds the form fields before the file, as S3 does
// (MaxPostPreDataLengthExceededError).
const maxPostFieldBytes = 20 << 10

// postResponse is the body of a POST Object answered 201.
type postResponse struct {
	XMLName  xml.Name `xml:"PostResponse"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
}

// postForm is the fields of a browser upload form before its file, by
// lower-cased name (S3 matches form fields case-insensitively).
type postForm map[string]string

// postIgnoredFields need no policy condition (x-ignore-* neither).
var postIgnoredFields = map[string]bool{"policy": true, "x-amz-signature": true, "signature": true, "awsaccesskeyid": true, "file": true}

// postObject implements POST Object, the browser form upload that
// presigned POSTs use: multipart/form-data fields (key, with ${filename};
// Content-Type and the other stored headers; x-amz-meta-*; acl; tagging;
// success_action_status / success_action_redirect) followed by the file.
// A policy, when sent, is enforced: expiry, every condition, no field it
// does not cover, content-length-range. Signatures are not verified, as
// for every other request.
func (s *Service) postObject(rq *request) *apiError {
	mediaType, params, err := mime.ParseMediaType(rq.r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return errPreconditionFailed("Bucket POST must be of the enclosure-type multipart/form-data")
	}
	form, file, aerr := readPostFields(multipart.NewReader(rq.r.Body, params["boundary"]))
	if aerr != nil {
		return aerr
	}
	rawKey, ok := form["key"]
	if !ok {
		return errorf(ErrInvalidArgument, "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.").
			with("ArgumentName", "key")
	}
	if file == nil {
		return errorf(ErrInvalidArgument, "POST requires exactly one file upload per request.").
			with("ArgumentName", "file").with("ArgumentValue", "0")
	}
	key := strings.ReplaceAll(rawKey, "${filename}", file.FileName())
	if key == "" {
		return errorf(ErrInvalidArgument, "User key must have a length greater than 0.").with("ArgumentName", "key")
	}
	if aerr := checkKeyLength(key); aerr != nil {
		return aerr
	}
	lengthRange := [2]int64{0, maxObjectSize}
	if p, ok := form["policy"]; ok && p != "" {
		if lengthRange, aerr = checkPostPolicy(p, form, rq.bucket, s.now()); aerr != nil {
			return aerr
		}
	}
	obj, wo, aerr := postObjectMetadata(form, key)
	if aerr != nil {
		return aerr
	}
	if aerr := s.checkBucket(rq.bucket); aerr != nil {
		return aerr
	}
	if aerr := receivePostFile(file, form, obj, min(lengthRange[1], maxObjectSize), lengthRange[0]); aerr != nil {
		return aerr
	}
	obj.setLastModified(s.now())

	if aerr := s.storeObject(rq.bucket, obj, wo, nil); aerr != nil {
		return aerr
	}
	return writePostResult(rq, form, obj)
}

// readPostFields reads the form fields up to the file part, which it
// returns unread (fields after the file are ignored, as on S3).
func readPostFields(mr *multipart.Reader) (postForm, *multipart.Part, *apiError) {
	form := postForm{}
	budget := int64(maxPostFieldBytes)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return form, nil, nil
		}
		if err != nil {
			return nil, nil, errorf(ErrMalformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data.")
		}
		name := strings.ToLower(part.FormName())
		if name == "" {
			continue
		}
		if name == "file" {
			return form, part, nil
		}
		v, err := io.ReadAll(io.LimitReader(part, budget+1))
		if err != nil {
			return nil, nil, errorf(ErrMalformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data.")
		}
		if budget -= int64(len(v)); budget < 0 {
			return nil, nil, errorf(ErrMaxPostPreDataLengthExceeded, "Your POST request fields preceeding the upload file was too large.").
				with("MaxPostPreDataLength", strconv.Itoa(maxPostFieldBytes))
		}
		form[name] = string(v)
	}
}

// parsePostPolicy decodes the policy field. Its two members are matched
// case-sensitively, as S3 does (encoding/json alone would accept
// "EXPIRATION").
func parsePostPolicy(encoded string) (expiration string, conditions []json.RawMessage, problem string) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return "", nil, "Invalid 'Base64' encoding."
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return "", nil, "Invalid JSON."
	}
	if json.Unmarshal(doc["expiration"], &expiration) != nil || expiration == "" {
		return "", nil, "Policy missing expiration."
	}
	if json.Unmarshal(doc["conditions"], &conditions) != nil || conditions == nil {
		return "", nil, "Policy missing conditions."
	}
	return expiration, conditions, ""
}

// checkPostSignatureFields requires the fields that go with a policy: a
// SigV4 signature with its algorithm, credential and date, or a SigV2
// signature with its access key. Their values are not verified, as no
// signature is anywhere in the emulator.
func checkPostSignatureFields(form postForm) *apiError {
	missing := func(name string) *apiError {
		return errorf(ErrInvalidArgument, "Bucket POST must contain a field named '%s'.  If it is specified, please check the order of the fields.", name).
			with("ArgumentName", name)
	}
	required := []string{"x-amz-signature", "x-amz-algorithm", "x-amz-credential", "x-amz-date"}
	if _, v2 := form["signature"]; v2 {
		required = []string{"awsaccesskeyid"}
	}
	for _, name := range required {
		if _, ok := form[name]; !ok {
			return missing(name)
		}
	}
	if v, ok := form["x-amz-algorithm"]; ok && v != "AWS4-HMAC-SHA256" {
		return errorf(ErrInvalidArgument, "Unsupported x-amz-algorithm: %s", v).with("ArgumentName", "x-amz-algorithm").with("ArgumentValue", v)
	}
	if v, ok := form["x-amz-date"]; ok {
		if _, err := time.Parse("20060102T150405Z", v); err != nil {
			return errorf(ErrInvalidArgument, "Invalid x-amz-date: %s", v).with("ArgumentName", "x-amz-date").with("ArgumentValue", v)
		}
	}
	return nil
}

// checkPostPolicy enforces a POST policy and returns its
// content-length-range (or [0, 5 GiB]).
func checkPostPolicy(encoded string, form postForm, bucketName string, now time.Time) ([2]int64, *apiError) {
	lengthRange := [2]int64{0, maxObjectSize}
	invalid := func(msg string) ([2]int64, *apiError) {
		return lengthRange, errorf(ErrInvalidPolicyDocument, "Invalid Policy: %s", msg)
	}
	denied := func(format string, args ...any) ([2]int64, *apiError) {
		return lengthRange, errorf(ErrAccessDenied, "Invalid according to Policy: "+format, args...)
	}
	expiration, conditions, problem := parsePostPolicy(encoded)
	if problem != "" {
		return invalid(problem)
	}
	if aerr := checkPostSignatureFields(form); aerr != nil {
		return lengthRange, aerr
	}
	exp, err := time.Parse(time.RFC3339, expiration)
	if err != nil {
		return invalid("Invalid 'expiration' value: '" + expiration + "'")
	}
	if !now.Before(exp) {
		return denied("Policy expired.")
	}
	value := func(name string) string {
		if name == "bucket" {
			return bucketName
		}
		return form[name]
	}
	covered := map[string]bool{}
	for _, rc := range conditions {
		var exact map[string]any
		if json.Unmarshal(rc, &exact) == nil {
			if len(exact) != 1 {
				return invalid("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.")
			}
			for name, want := range exact {
				name = strings.ToLower(name)
				covered[name] = true
				if value(name) != fmt.Sprint(want) {
					return denied("Policy Condition failed: [\"eq\", \"$%s\", \"%v\"]", name, want)
				}
			}
			continue
		}
		var list []any
		if json.Unmarshal(rc, &list) != nil || len(list) != 3 {
			return invalid("Invalid Condition: " + string(rc))
		}
		op, _ := list[0].(string)
		switch strings.ToLower(op) {
		case "content-length-range":
			lo, ok1 := list[1].(float64)
			hi, ok2 := list[2].(float64)
			if !ok1 || !ok2 || lo < 0 || hi < lo {
				return invalid("Invalid content-length-range: " + string(rc))
			}
			lengthRange = [2]int64{int64(lo), int64(hi)}
		case "eq", "starts-with":
			field, _ := list[1].(string)
			want, ok := list[2].(string)
			name, isField := strings.CutPrefix(field, "$")
			if !isField || !ok {
				return invalid("Invalid Condition: " + string(rc))
			}
			name = strings.ToLower(name)
			covered[name] = true
			got := value(name)
			if (op == "eq" && got != want) || (op != "eq" && !strings.HasPrefix(got, want)) {
				return denied("Policy Condition failed: [\"%s\", \"$%s\", \"%s\"]", op, name, want)
			}
		default:
			return invalid("Unknown condition operation: " + op)
		}
	}
	for name := range form {
		if !covered[name] && !postIgnoredFields[name] && !strings.HasPrefix(name, "x-ignore-") {
			return denied("Extra input fields: %s", name)
		}
	}
	return lengthRange, nil
}

// postObjectMetadata builds the object (without its body) from the form:
// stored headers, user metadata, tags and ACL.
func postObjectMetadata(form postForm, key string) (obj *object, wo writeOptions, aerr *apiError) {
	h := http.Header{}
	for name, v := range form {
		canonical := http.CanonicalHeaderKey(name)
		if strings.HasPrefix(name, "x-amz-meta-") || canonical == "Content-Encoding" || isStoredHeader(canonical) {
			h[canonical] = []string{v}
		}
	}
	header, aerr := objectHeaders(h)
	if aerr != nil {
		return nil, wo, aerr
	}
	obj = &object{key: key, header: header}
	if v, ok := form["tagging"]; ok {
		var doc taggingDoc
		if xml.Unmarshal([]byte(v), &doc) != nil || doc.TagSet == nil {
			return nil, wo, newError(ErrMalformedXML)
		}
		if aerr := validateTags(doc.TagSet.Tags, maxObjectTags, "Object"); aerr != nil {
			return nil, wo, aerr
		}
		obj.tags = doc.TagSet.Tags
	}
	if v, ok := form["acl"]; ok {
		if wo.acl, wo.hasACL = cannedACL(v); !wo.hasACL {
			return nil, wo, errorf(ErrInvalidArgument, "The canned ACL %s is not valid", v).with("ArgumentName", "acl").with("ArgumentValue", v)
		}
		obj.acl = wo.acl
	}
	return obj, wo, nil
}

func isStoredHeader(canonical string) bool {
	for _, name := range storedHeaders {
		if name == canonical {
			return true
		}
	}
	return false
}

// receivePostFile reads the file part into obj, computing its ETag and
// checksum (an x-amz-checksum-* field is verified) and enforcing the
// policy's content-length-range.
func receivePostFile(file io.Reader, form postForm, obj *object, maxSize, minSize int64) *apiError {
	var claim *checksumClaim
	for _, alg := range checksumAlgorithms {
		if v, ok := form[alg.header()]; ok {
			if claim != nil {
				return errMultipleChecksums()
			}
			claim = &checksumClaim{alg: alg, value: strings.TrimSpace(v)}
		}
	}
	alg := algCRC64NVME
	if claim != nil {
		alg = claim.alg
		if !alg.validValue(claim.value) {
			return errorf(ErrInvalidRequest, "Value for %s header is invalid.", alg.header())
		}
	}
	hs := newPayloadHashes(http.Header{}, false, alg, -1)
	data, size, err := readSegments(file, -1, maxSize, hs.write)
	hs.finish()
	switch {
	case err != nil:
		return errorf(ErrIncompleteBody, "%s (%v)", ErrIncompleteBody.defaultMessage(), err)
	case size > maxSize:
		return errEntityTooLarge(size, maxSize)
	case size < minSize:
		return newError(ErrEntityTooSmall).with("ProposedSize", strconv.FormatInt(size, 10)).with("MinSizeAllowed", strconv.FormatInt(minSize, 10))
	}
	sum := base64.StdEncoding.EncodeToString(hs.checksum.Sum(nil))
	if claim != nil && claim.value != sum {
		return errorf(ErrBadDigest, "The %s you specified did not match the calculated checksum.", alg)
	}
	var md5sum [16]byte
	hs.md5.Sum(md5sum[:0])
	obj.data, obj.size = data, size
	obj.etag = `"` + hex.EncodeToString(md5sum[:]) + `"`
	obj.checksum = objectChecksum{algorithm: alg, value: sum, typ: checksumFullObject}
	return nil
}

// writePostResult answers a successful POST: a 303 to
// success_action_redirect, else the success_action_status (200, 201 with a
// PostResponse document, or the default 204).
func writePostResult(rq *request, form postForm, obj *object) *apiError {
	location := (&url.URL{Scheme: "http", Host: rq.r.Host, Path: "/" + rq.bucket + "/" + obj.key}).String()
	h := rq.w.Header()
	setVersionHeader(h, obj.versionID)
	h.Set("ETag", obj.etag)
	h.Set("Location", location)
	h.Set("X-Amz-Server-Side-Encryption", "AES256")
	redirect := form["success_action_redirect"]
	if redirect == "" {
		redirect = form["redirect"]
	}
	if u, err := url.Parse(redirect); redirect != "" && err == nil && u.Scheme != "" {
		q := u.Query()
		q.Set("bucket", rq.bucket)
		q.Set("key", obj.key)
		q.Set("etag", obj.etag)
		u.RawQuery = q.Encode()
		h.Set("Location", u.String())
		rq.w.WriteHeader(http.StatusSeeOther)
		return nil
	}
	switch form["success_action_status"] {
	case "200":
		rq.w.WriteHeader(http.StatusOK)
	case "201":
		writeXML(rq.w, http.StatusCreated, postResponse{Location: location, Bucket: rq.bucket, Key: obj.key, ETag: obj.etag})
	default:
		rq.w.WriteHeader(http.StatusNoContent)
	}
	return nil
}
