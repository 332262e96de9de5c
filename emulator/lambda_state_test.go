package emulator_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// corruptZip is a zip whose directory reads fine (so CreateFunction takes
// it, as AWS does) but whose one file fails its CRC check when unpacked.
func corruptZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "bootstrap", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("#!/bin/sh\necho never runs\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	i := bytes.Index(b, []byte("never runs"))
	b[i] = 'N' // the stored bytes no longer match the CRC-32
	return b
}

// A deployment package that cannot be unpacked leaves the function Failed
// with AWS's reason code, and Invoke answers 409 ResourceConflictException
// naming the state, as AWS documents for a function that is not Active.
func TestLambdaUnpackableZipLeavesFunctionFailed(t *testing.T) {
	t.Parallel()
	_, srv, cfg := startEmulator(t)
	c := lambdaClient(srv, cfg)
	ctx := context.Background()
	if _, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("broken"), Runtime: types.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
		Role: aws.String("arn:aws:iam::000000000000:role/test"), Code: &types.FunctionCode{ZipFile: corruptZip(t)},
	}); err != nil {
		t.Fatalf("CreateFunction: %v (the zip's directory is valid, so AWS accepts it)", err)
	}
	// The files unpack in the background, so Failed comes a moment later.
	var conf *types.FunctionConfiguration
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		got, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("broken")})
		if err != nil {
			t.Fatal(err)
		}
		if conf = got.Configuration; conf.State == types.StateFailed || time.Now().After(deadline) {
			break
		}
	}
	if conf.State != types.StateFailed || conf.StateReasonCode != types.StateReasonCodeInvalidZipFileException ||
		!strings.Contains(aws.ToString(conf.StateReason), "Could not unzip") {
		t.Fatalf("GetFunction state = %s / %s / %q, want Failed / InvalidZipFileException / Could not unzip…",
			conf.State, conf.StateReasonCode, aws.ToString(conf.StateReason))
	}
	_, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("broken"), Payload: []byte(`{}`)})
	var conflict *types.ResourceConflictException
	if !errors.As(err, &conflict) || !strings.Contains(conflict.ErrorMessage(), "following state: Failed") {
		t.Fatalf("Invoke of a Failed function: %v, want ResourceConflictException naming the state Failed", err)
	}
}

// UpdateFunctionCode answers InProgress and settles on Successful (the
// FunctionUpdatedV2 waiter's condition), or on Failed with AWS's reason
// code when the new package cannot be unpacked.
func TestLambdaUpdateCodeStatus(t *testing.T) {
	t.Parallel()
	_, srv, cfg := startEmulator(t)
	c := lambdaClient(srv, cfg)
	ctx := context.Background()
	createTestFunction(t, c, "upd", 3)
	out, err := c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("upd"), ZipFile: testfnZipData(t)})
	if err != nil {
		t.Fatal(err)
	}
	if out.LastUpdateStatus != types.LastUpdateStatusInProgress {
		t.Errorf("UpdateFunctionCode LastUpdateStatus = %s, want InProgress (as AWS answers)", out.LastUpdateStatus)
	}
	wait := lambda.NewFunctionUpdatedV2Waiter(c, func(o *lambda.FunctionUpdatedV2WaiterOptions) { o.MinDelay = 20 * time.Millisecond })
	if err := wait.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("upd")}, 10*time.Second); err != nil {
		t.Fatalf("FunctionUpdatedV2 waiter: %v", err)
	}
	if _, err := c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("upd"), ZipFile: corruptZip(t)}); err != nil {
		t.Fatal(err)
	}
	if err := wait.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("upd")}, 10*time.Second); err == nil {
		t.Fatal("FunctionUpdatedV2 waiter succeeded for code that cannot be unpacked")
	}
	got, err := c.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("upd")})
	if err != nil {
		t.Fatal(err)
	}
	if got.LastUpdateStatus != types.LastUpdateStatusFailed || got.LastUpdateStatusReasonCode != types.LastUpdateStatusReasonCodeInvalidZipFileException || got.State != types.StateActive {
		t.Fatalf("after a failed update: State %s, LastUpdateStatus %s (%s), want Active, Failed (InvalidZipFileException)",
			got.State, got.LastUpdateStatus, got.LastUpdateStatusReasonCode)
	}
}

// GetFunction's Code.Location downloads the deployment package, for
// $LATEST and for a published version, through the emulator's own guard.
func TestLambdaCodeLocationServesTheZip(t *testing.T) {
	t.Parallel()
	_, srv, cfg := startEmulator(t)
	c := lambdaClient(srv, cfg)
	ctx := context.Background()
	createTestFunction(t, c, "dl", 3)
	if _, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("dl")}); err != nil {
		t.Fatal(err)
	}
	for _, qualifier := range []string{"", "1"} {
		in := &lambda.GetFunctionInput{FunctionName: aws.String("dl")}
		if qualifier != "" {
			in.Qualifier = aws.String(qualifier)
		}
		got, err := c.GetFunction(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		loc := aws.ToString(got.Code.Location)
		resp, err := http.Get(loc)
		if err != nil {
			t.Fatalf("GET Code.Location %s: %v", loc, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, testfnZipData(t)) {
			t.Fatalf("GET %s = %d, %d bytes; want 200 and the %d-byte zip", loc, resp.StatusCode, len(body), len(testfnZipData(t)))
		}
	}
	// Another site's page cannot fetch it: the guard applies.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/2015-03-31/functions/dl/code", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site GET of the code = %d, want 403 from the guard", resp.StatusCode)
	}
}
