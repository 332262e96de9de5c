package tests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/coolroom/testbed/internal/stack"
)

func pngBytes(t testing.TB, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func profileForm(v *visitor) url.Values {
	return url.Values{"name": {v.Name}, "username": {v.Username}, "email": {v.Email}, "bio": {""}}
}

func TestProfilePages(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	carol := registered(t, st.AppURL, "carol")
	dave := registered(t, st.AppURL, "dave")
	room := carol.createRoom("Carol's room", "Profiles", "")
	carol.postMessage(room, "carol was here")
	profile := fmt.Sprintf("/profile/%d", carol.ID)

	t.Run("profile shows the user, their rooms and messages", func(t *testing.T) {
		doc := dave.page(profile, http.StatusOK)
		if got := doc.Find(".profile-name").Text(); got != carol.Name {
			t.Errorf("name %q", got)
		}
		if got := doc.Find(".profile-handle").Text(); got != "@"+carol.Username {
			t.Errorf("handle %q", got)
		}
		if src, _ := doc.Find("#profile-avatar").Attr("src"); !strings.HasPrefix(src, "/static/avatar.") {
			t.Errorf("default avatar src %q", src)
		}
		if got := doc.Find(".col-feed .room-card .room-name").Text(); got != "Carol's room" {
			t.Errorf("rooms hosted %q", got)
		}
		if got := doc.Find(".col-activity .activity-body").Text(); got != "carol was here" {
			t.Errorf("messages %q", got)
		}
		if doc.Find("#edit-profile").Length() != 0 {
			t.Error("another user's profile offers Edit profile")
		}
		if doc := carol.page(profile, http.StatusOK); doc.Find(`#edit-profile[href="/update-user"]`).Length() != 1 {
			t.Error("own profile lacks Edit profile")
		}
		dave.page("/profile/99999999", http.StatusNotFound)
	})

	t.Run("edit profile changes name and bio", func(t *testing.T) {
		doc := carol.page("/update-user", http.StatusOK)
		if v, _ := doc.Find("#email").Attr("value"); v != carol.Email {
			t.Errorf("email field %q", v)
		}
		if doc.Find(`form[enctype="multipart/form-data"] input[type="file"]#avatar`).Length() != 1 || doc.Find(`label[for="avatar"]`).Length() != 1 {
			t.Error("no labelled avatar upload")
		}
		f := profileForm(carol)
		f.Set("name", "Carol Renamed")
		f.Set("bio", "I like\nquiet rooms.")
		resp := carol.postFile("/update-user", f, "", "", nil)
		readAll(t, resp)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != profile {
			t.Fatalf("update = %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		doc = carol.page(profile, http.StatusOK)
		if doc.Find(".profile-name").Text() != "Carol Renamed" || doc.Find(".profile-bio").Text() != "I like\nquiet rooms." {
			t.Errorf("after update: %q / %q", doc.Find(".profile-name").Text(), doc.Find(".profile-bio").Text())
		}
		carol.Name = "Carol Renamed"
	})

	t.Run("other users cannot see the email; update-user only edits yourself", func(t *testing.T) {
		body := readAll(t, dave.get(profile))
		if strings.Contains(body, carol.Email) {
			t.Error("carol's email is visible to dave")
		}
		doc := dave.page("/update-user", http.StatusOK)
		if v, _ := doc.Find("#username").Attr("value"); v != dave.Username {
			t.Errorf("dave's form shows %q", v)
		}
	})

	var firstKey string
	t.Run("avatar upload: stored in S3, rendered, streamed with caching", func(t *testing.T) {
		data := pngBytes(t, 64, 64, color.RGBA{R: 200, G: 80, B: 120, A: 255})
		resp := carol.postFile("/update-user", profileForm(carol), "avatar", "me.txt", data)
		readAll(t, resp)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload = %d", resp.StatusCode)
		}
		doc := carol.page(profile, http.StatusOK)
		src, _ := doc.Find("#profile-avatar").Attr("src")
		if !strings.HasPrefix(src, "/avatars/") || !strings.HasSuffix(src, ".png") {
			t.Fatalf("avatar src %q", src)
		}
		if hdr, _ := doc.Find(".account .me img").Attr("src"); hdr != src {
			t.Errorf("header avatar %q, want the new one %q", hdr, src)
		}
		firstKey = "avatars/" + strings.TrimPrefix(src, "/avatars/")
		got := newVisitor(t, st.AppURL).get(src)
		body := readAll(t, got)
		if got.StatusCode != http.StatusOK || body != string(data) || got.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("GET %s = %d %q, %d bytes", src, got.StatusCode, got.Header.Get("Content-Type"), len(body))
		}
		if cc := got.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("avatar Cache-Control %q", cc)
		}
		req, _ := http.NewRequest(http.MethodGet, st.AppURL+src, nil)
		req.Header.Set("If-None-Match", got.Header.Get("ETag"))
		if resp := newVisitor(t, st.AppURL).do(req); resp.StatusCode != http.StatusNotModified {
			t.Errorf("conditional avatar GET = %d, want 304", resp.StatusCode)
		}
		obj := headObject(t, st, firstKey)
		if aws.ToString(obj.ContentType) != "image/png" {
			t.Errorf("S3 object type %q (file was named me.txt; the type must come from the content)", aws.ToString(obj.ContentType))
		}
		// Rooms and messages show the new avatar too.
		doc = newVisitor(t, st.AppURL).page(fmt.Sprintf("/room/%d", room), http.StatusOK)
		if s, _ := doc.Find(".room-host img").Attr("src"); s != src {
			t.Errorf("room host avatar %q", s)
		}
	})

	t.Run("a new avatar replaces and deletes the old one", func(t *testing.T) {
		if firstKey == "" {
			t.Skip("no first avatar")
		}
		data := pngBytes(t, 32, 32, color.RGBA{G: 200, A: 255})
		resp := carol.postFile("/update-user", profileForm(carol), "avatar", "second.png", data)
		readAll(t, resp)
		doc := carol.page(profile, http.StatusOK)
		src, _ := doc.Find("#profile-avatar").Attr("src")
		if src == "/"+firstKey || !strings.HasPrefix(src, "/avatars/") {
			t.Fatalf("avatar src %q after a second upload", src)
		}
		if _, err := headObjectErr(st, firstKey); !isNotFound(err) {
			t.Errorf("old avatar %s still in S3 (err %v)", firstKey, err)
		}
		newVisitor(t, st.AppURL).page("/"+firstKey, http.StatusNotFound)
	})

	t.Run("SVG and non-images are refused, nothing changes", func(t *testing.T) {
		before, _ := carol.page(profile, http.StatusOK).Find("#profile-avatar").Attr("src")
		for name, data := range map[string][]byte{
			"evil.svg":  []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>`),
			"fake.png":  []byte("not really a png"),
			"trunc.png": pngBytes(t, 16, 16, color.White)[:40],
		} {
			resp := carol.postFile("/update-user", profileForm(carol), "avatar", name, data)
			doc := parse(t, readAll(t, resp))
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d", name, resp.StatusCode)
			}
			if got := doc.Find("#avatar-error").Text(); !strings.Contains(got, "The picture") {
				t.Errorf("%s: field error %q", name, got)
			}
			if v, _ := doc.Find("#name").Attr("value"); v != carol.Name {
				t.Errorf("%s: the form lost the name (%q)", name, v)
			}
		}
		if after, _ := carol.page(profile, http.StatusOK).Find("#profile-avatar").Attr("src"); after != before {
			t.Errorf("avatar changed %q → %q by a refused upload", before, after)
		}
	})

	// A picture over the limit comes back on the form as the picture's
	// error, keeping what was typed (the 413 page threw the form away),
	// both when the app reads the picture through and when the body is so
	// big that the app cuts it off.
	for _, size := range []int{2<<20 + 1, 40 << 20} {
		t.Run(fmt.Sprintf("an avatar of %d bytes keeps the form", size), func(t *testing.T) {
			big := make([]byte, size)
			copy(big, pngBytes(t, 8, 8, color.White))
			f := profileForm(carol)
			f.Set("bio", "typed before choosing a huge picture")
			resp := carol.postFile("/update-user", f, "avatar", "big.png", big)
			doc := parse(t, readAll(t, resp))
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := doc.Find("#avatar-error").Text(); !strings.Contains(got, "larger than 2 MiB") {
				t.Errorf("picture error %q (page %q)", got, squeeze(doc.Find("main").Text()))
			}
			if v, _ := doc.Find("#avatar").Attr("aria-invalid"); v != "true" {
				t.Error("the picture field is not marked invalid")
			}
			if v, _ := doc.Find("#name").Attr("value"); v != carol.Name {
				t.Errorf("the form lost the name (%q)", v)
			}
			if got := doc.Find("#bio").Text(); got != "typed before choosing a huge picture" {
				t.Errorf("the form lost the typed bio (%q)", got)
			}
			if bio := carol.page(fmt.Sprintf("/profile/%d", carol.ID), http.StatusOK).Find(".profile-bio").Text(); strings.Contains(bio, "huge picture") {
				t.Error("a refused upload saved the bio")
			}
		})
	}

	t.Run("a taken username keeps the form", func(t *testing.T) {
		f := profileForm(carol)
		f.Set("username", dave.Username)
		resp := carol.postFile("/update-user", f, "", "", nil)
		doc := parse(t, readAll(t, resp))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.Find(".field-error").Text(), "Username") {
			t.Errorf("status %d, errors %q", resp.StatusCode, doc.Find(".field-error").Text())
		}
		if v, _ := doc.Find("#username").Attr("value"); v != dave.Username {
			t.Errorf("username field %q", v)
		}
	})
}

func s3Client(st *stack.Stack) *s3.Client {
	return s3.NewFromConfig(st.AWS, func(o *s3.Options) {
		o.BaseEndpoint = endpoint(st)
		o.UsePathStyle = true
	})
}

func headObjectErr(st *stack.Stack, key string) (*s3.HeadObjectOutput, error) {
	return s3Client(st).HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(st.Deploy.Bucket), Key: aws.String(key)})
}

func headObject(t testing.TB, st *stack.Stack, key string) *s3.HeadObjectOutput {
	t.Helper()
	out, err := headObjectErr(st, key)
	if err != nil {
		t.Fatalf("HeadObject %s: %v", key, err)
	}
	return out
}

func isNotFound(err error) bool {
	var nf *types.NotFound
	return errors.As(err, &nf)
}
