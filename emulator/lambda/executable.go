package lambda

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/coolroom/testbed/internal/platform"
)

// executable is what a bootstrap file was built for, in Go's names.
type executable struct {
	format string   // "ELF", "Mach-O", "PE"
	goos   string   // "linux", "darwin", "windows", or the ELF OS ABI's name
	arches []string // "amd64", "arm64", …; several for a universal Mach-O
}

func (e executable) String() string {
	return fmt.Sprintf("%s (%s)", e.goos+"/"+strings.Join(e.arches, "+"), e.format)
}

// runsOn reports whether the binary executes natively on goos/goarch.
func (e executable) runsOn(goos, goarch string) bool {
	if e.goos != goos {
		return false
	}
	for _, a := range e.arches {
		if a == goarch {
			return true
		}
	}
	return false
}

// readExecutable identifies path by its header. ok is false for anything
// that is not an ELF, Mach-O or PE binary (a script with a shebang, say):
// exec decides those.
func readExecutable(path string) (exe executable, ok bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return executable{}, false, err
	}
	defer f.Close()
	magic := make([]byte, 4)
	if _, err := io.ReadFull(f, magic); err != nil {
		return executable{}, false, nil // tiny scripts are fine; exec will tell
	}
	switch m := string(magic); {
	case m == elf.ELFMAG:
		return readELF(f)
	case m == "\xcf\xfa\xed\xfe" || m == "\xce\xfa\xed\xfe" || m == "\xfe\xed\xfa\xcf" || m == "\xfe\xed\xfa\xce":
		return readMachO(f)
	case m == "\xca\xfe\xba\xbe":
		return readFatMachO(f)
	case m[:2] == "MZ":
		return readPE(f)
	}
	return executable{}, false, nil
}

func readELF(f *os.File) (executable, bool, error) {
	ef, err := elf.NewFile(f)
	if err != nil {
		return executable{}, false, fmt.Errorf("bootstrap has an ELF header but is not a valid ELF file: %w", err)
	}
	goos := "linux" // Go and C toolchains for Linux write OSABI 0 (System V)
	if ef.OSABI != elf.ELFOSABI_NONE && ef.OSABI != elf.ELFOSABI_LINUX {
		goos = strings.ToLower(strings.TrimPrefix(ef.OSABI.String(), "ELFOSABI_"))
	}
	return executable{format: "ELF", goos: goos, arches: []string{elfArch(ef.Machine)}}, true, nil
}

func elfArch(m elf.Machine) string {
	switch m {
	case elf.EM_X86_64:
		return "amd64"
	case elf.EM_AARCH64:
		return "arm64"
	case elf.EM_386:
		return "386"
	case elf.EM_ARM:
		return "arm"
	}
	return strings.ToLower(strings.TrimPrefix(m.String(), "EM_"))
}

func readMachO(f *os.File) (executable, bool, error) {
	mf, err := macho.NewFile(f)
	if err != nil {
		return executable{}, false, fmt.Errorf("bootstrap has a Mach-O header but is not a valid Mach-O file: %w", err)
	}
	return executable{format: "Mach-O", goos: "darwin", arches: []string{machoArch(mf.Cpu)}}, true, nil
}

func readFatMachO(f *os.File) (executable, bool, error) {
	// 0xcafebabe also starts a Java class file, whose next word (its
	// version, 45 or more) would be the number of architectures here; like
	// file(1), take a count of 20 or more for Java.
	var count [4]byte
	if _, err := f.ReadAt(count[:], 4); err != nil || binary.BigEndian.Uint32(count[:]) >= 20 {
		return executable{}, false, nil
	}
	ff, err := macho.NewFatFile(f)
	if err != nil {
		return executable{}, false, fmt.Errorf("bootstrap has a universal Mach-O header but is not a valid one: %w", err)
	}
	exe := executable{format: "universal Mach-O", goos: "darwin"}
	for _, a := range ff.Arches {
		exe.arches = append(exe.arches, machoArch(a.Cpu))
	}
	return exe, true, nil
}

func machoArch(c macho.Cpu) string {
	switch c {
	case macho.CpuAmd64:
		return "amd64"
	case macho.CpuArm64:
		return "arm64"
	case macho.Cpu386:
		return "386"
	case macho.CpuArm:
		return "arm"
	}
	return strings.ToLower(strings.TrimPrefix(c.String(), "Cpu"))
}

func readPE(f *os.File) (executable, bool, error) {
	pf, err := pe.NewFile(f)
	if err != nil {
		return executable{}, false, nil // "MZ" may begin a script's text
	}
	arch := fmt.Sprintf("machine 0x%x", pf.Machine)
	switch pf.Machine {
	case pe.IMAGE_FILE_MACHINE_AMD64:
		arch = "amd64"
	case pe.IMAGE_FILE_MACHINE_ARM64:
		arch = "arm64"
	case pe.IMAGE_FILE_MACHINE_I386:
		arch = "386"
	}
	return executable{format: "PE", goos: "windows", arches: []string{arch}}, true, nil
}

// checkExecutable refuses, with what to do, a bootstrap binary this host
// cannot execute, instead of a cryptic "exec format error". The emulator
// runs functions natively, so the binary must be built for this host's OS
// and architecture: linux/<arch> on Linux (as on AWS), darwin/<arch> on a
// Mac.
func checkExecutable(path string) error {
	return checkExecutableFor(path, runtime.GOOS, runtime.GOARCH)
}

func checkExecutableFor(path, goos, goarch string) error {
	exe, ok, err := readExecutable(path)
	if err != nil || !ok || exe.runsOn(goos, goarch) {
		return err
	}
	host := goos + "/" + goarch
	advice := "build it with GOOS=" + goos + " GOARCH=" + goarch
	if goos != "linux" {
		// On a Mac, a Linux binary is what AWS and containers need; the
		// local emulator needs the host's.
		advice += " to run it on this emulator (coolroom up and coolroom deploy do so for the emulator); AWS and containers get linux/" + goarch
	}
	article := "a"
	if strings.HasPrefix(exe.format, "E") {
		article = "an"
	}
	return fmt.Errorf("bootstrap is %s %s executable for %s, but this emulator runs on %s and executes functions natively: %s",
		article, exe.format, exe.goos+"/"+strings.Join(exe.arches, "+"), host, advice)
}

// describeBootstrap says what the bootstrap in dir was built for and what
// that means here, for the console: "darwin/arm64 (Mach-O)" with "built
// for darwin/arm64 to run natively; AWS and containers get linux/arm64".
func describeBootstrap(dir string) (binary, note string) {
	path := filepath.Join(dir, "bootstrap")
	exe, ok, err := readExecutable(path)
	switch {
	case err != nil:
		return "", err.Error()
	case !ok:
		return "script or unknown format", "run as is; exec decides"
	}
	if err := checkExecutable(path); err != nil {
		return exe.String(), err.Error()
	}
	return exe.String(), platform.Note(runtime.GOOS, runtime.GOARCH)
}
