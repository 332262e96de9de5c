package emulator_test

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/elf"
	"debug/macho"
	"encoding/binary"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/coolroom/testbed/internal/platform"
)

// foreignOSBootstrap is the header of a binary for this machine's
// architecture but another OS: a Mac binary on Linux, a Linux one on a Mac.
// The header is all the emulator reads before refusing it.
func foreignOSBootstrap(t *testing.T) (data []byte, describes string) {
	t.Helper()
	var b bytes.Buffer
	if runtime.GOOS == "darwin" {
		h := elf.Header64{Type: uint16(elf.ET_EXEC), Machine: uint16(elf.EM_AARCH64), Version: 1, Ehsize: 64}
		if runtime.GOARCH == "amd64" {
			h.Machine = uint16(elf.EM_X86_64)
		}
		copy(h.Ident[:], elf.ELFMAG)
		h.Ident[elf.EI_CLASS], h.Ident[elf.EI_DATA], h.Ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), 1
		_ = binary.Write(&b, binary.LittleEndian, h)
		return b.Bytes(), "ELF executable for linux/" + runtime.GOARCH
	}
	cpu := macho.CpuArm64
	if runtime.GOARCH == "amd64" {
		cpu = macho.CpuAmd64
	}
	_ = binary.Write(&b, binary.LittleEndian, macho.FileHeader{Magic: macho.Magic64, Cpu: cpu, Type: macho.TypeExec})
	b.Write(make([]byte, 4))
	return b.Bytes(), "Mach-O executable for darwin/" + runtime.GOARCH
}

func zipBootstrap(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	fh := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	fh.SetMode(0o755)
	f, err := zw.CreateHeader(fh)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The emulator runs functions natively, so a bootstrap for another OS (a
// Linux binary on a Mac, a Mac binary on Linux) gets AWS's error type with
// what was found and how to build it, instead of "exec format error".
func TestLambdaRefusesBinaryForAnotherOS(t *testing.T) {
	_, srv, cfg := startEmulator(t)
	c := lambdaClient(srv, cfg)
	data, describes := foreignOSBootstrap(t)
	if _, err := c.CreateFunction(context.Background(), &lambda.CreateFunctionInput{
		FunctionName: aws.String("wrongos"), Runtime: types.RuntimeProvidedal2023, Role: aws.String("r"),
		Code: &types.FunctionCode{ZipFile: zipBootstrap(t, data)},
	}); err != nil {
		t.Fatal(err)
	}
	w := lambda.NewFunctionActiveV2Waiter(c, func(o *lambda.FunctionActiveV2WaiterOptions) { o.MinDelay = 50 * time.Millisecond })
	if err := w.Wait(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("wrongos")}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	out := invoke(t, c, "wrongos", map[string]string{})
	msg, _ := out.payload["errorMessage"].(string)
	if out.fnError != "Unhandled" || out.payload["errorType"] != "Runtime.InvalidEntrypoint" {
		t.Fatalf("foreign-OS bootstrap: FunctionError %q, payload %v", out.fnError, out.payload)
	}
	for _, want := range []string{describes, "runs on " + platform.Host(), "GOOS=" + runtime.GOOS + " GOARCH=" + runtime.GOARCH} {
		if !strings.Contains(msg, want) {
			t.Errorf("errorMessage %q does not say %q", msg, want)
		}
	}
}

// The console says what each function's binary was built for and what
// that means on this emulator.
func TestConsoleShowsWhatTheBinaryWasBuiltFor(t *testing.T) {
	a, _ := consoleFixture(t)
	var st struct {
		Functions []struct {
			Name       string `json:"name"`
			Binary     string `json:"binary"`
			BinaryNote string `json:"binaryNote"`
		} `json:"functions"`
	}
	// The code unpacks in the background; the binary shows once it has.
	deadline := time.Now().Add(10 * time.Second)
	for {
		getJSON(t, a.srv.URL+"/_console/api/state", &st)
		if len(st.Functions) != 1 {
			t.Fatalf("functions = %+v", st.Functions)
		}
		if st.Functions[0].Binary != "" || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	f := st.Functions[0]
	format := "ELF"
	if runtime.GOOS == "darwin" {
		format = "Mach-O"
	}
	wantBinary := platform.Host() + " (" + format + ")"
	wantNote := platform.Note(runtime.GOOS, runtime.GOARCH)
	if f.Binary != wantBinary || f.BinaryNote != wantNote {
		t.Errorf("api/state binary = %q, %q; want %q, %q", f.Binary, f.BinaryNote, wantBinary, wantNote)
	}
	doc, raw := getDoc(t, a.srv.URL+"/_console/")
	card := doc.Find(`#fn-` + f.Name).Text()
	if !strings.Contains(card, wantBinary) || !strings.Contains(card, wantNote) {
		t.Errorf("the function card does not show %q and %q:\n%s", wantBinary, wantNote, raw)
	}
}
