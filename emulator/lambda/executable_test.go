package lambda

import (
	"bytes"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The headers below are the first bytes of real binaries, built field by
// field with the standard library's own structs: enough for the checks,
// which read headers only.

func elfHeader(machine elf.Machine, osabi elf.OSABI) []byte {
	h := elf.Header64{Type: uint16(elf.ET_EXEC), Machine: uint16(machine), Version: 1, Ehsize: 64}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	h.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	h.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	h.Ident[elf.EI_OSABI] = byte(osabi)
	var b bytes.Buffer
	_ = binary.Write(&b, binary.LittleEndian, h)
	return b.Bytes()
}

func machoHeader(cpu macho.Cpu) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.LittleEndian, macho.FileHeader{Magic: macho.Magic64, Cpu: cpu, Type: macho.TypeExec})
	b.Write(make([]byte, 4)) // the 64-bit header's reserved word
	return b.Bytes()
}

func fatMachO(cpus ...macho.Cpu) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.BigEndian, [2]uint32{macho.MagicFat, uint32(len(cpus))})
	const align = 12
	for i, c := range cpus {
		_ = binary.Write(&b, binary.BigEndian, macho.FatArchHeader{Cpu: c, Offset: uint32(i+1) << align, Size: 32, Align: align})
	}
	for i, c := range cpus {
		b.Write(make([]byte, (i+1)<<align-b.Len()))
		b.Write(machoHeader(c))
	}
	return b.Bytes()
}

func peHeader(machine uint16) []byte {
	b := make([]byte, 0x40)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3c:], 0x40)
	var rest bytes.Buffer
	rest.WriteString("PE\x00\x00")
	_ = binary.Write(&rest, binary.LittleEndian, pe.FileHeader{Machine: machine})
	b = append(b, rest.Bytes()...)
	return append(b, make([]byte, 512-len(b))...) // the DOS stub and headers that follow
}

func writeBootstrap(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bootstrap")
	if err := os.WriteFile(path, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExecutableFormats(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want string // executable.String(); "" for not a binary
	}{
		{"Linux amd64", elfHeader(elf.EM_X86_64, elf.ELFOSABI_NONE), "linux/amd64 (ELF)"},
		{"Linux arm64", elfHeader(elf.EM_AARCH64, elf.ELFOSABI_LINUX), "linux/arm64 (ELF)"},
		{"FreeBSD amd64", elfHeader(elf.EM_X86_64, elf.ELFOSABI_FREEBSD), "freebsd/amd64 (ELF)"},
		{"macOS arm64", machoHeader(macho.CpuArm64), "darwin/arm64 (Mach-O)"},
		{"macOS amd64", machoHeader(macho.CpuAmd64), "darwin/amd64 (Mach-O)"},
		{"macOS universal", fatMachO(macho.CpuAmd64, macho.CpuArm64), "darwin/amd64+arm64 (universal Mach-O)"},
		{"Windows amd64", peHeader(pe.IMAGE_FILE_MACHINE_AMD64), "windows/amd64 (PE)"},
		{"shell script", []byte("#!/bin/sh\nexec ./real\n"), ""},
		{"Java class file", []byte("\xca\xfe\xba\xbe\x00\x00\x00\x34rest of a class"), ""},
		{"two bytes", []byte("#!"), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			exe, ok, err := readExecutable(writeBootstrap(t, tc.data))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if ok {
				got = exe.String()
			}
			if got != tc.want {
				t.Fatalf("read as %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCheckExecutableAcceptsOnlyWhatTheHostRuns(t *testing.T) {
	linuxAMD64 := writeBootstrap(t, elfHeader(elf.EM_X86_64, elf.ELFOSABI_NONE))
	linuxARM64 := writeBootstrap(t, elfHeader(elf.EM_AARCH64, elf.ELFOSABI_NONE))
	macARM64 := writeBootstrap(t, machoHeader(macho.CpuArm64))
	universal := writeBootstrap(t, fatMachO(macho.CpuAmd64, macho.CpuArm64))
	windows := writeBootstrap(t, peHeader(pe.IMAGE_FILE_MACHINE_AMD64))
	script := writeBootstrap(t, []byte("#!/bin/sh\n"))

	cases := []struct {
		name         string
		path         string
		goos, goarch string
		wantErr      []string // substrings; none means accepted
	}{
		{"Linux binary on Linux", linuxAMD64, "linux", "amd64", nil},
		{"script anywhere", script, "darwin", "arm64", nil},
		{"Mac binary on a Mac", macARM64, "darwin", "arm64", nil},
		{"universal binary on an Intel Mac", universal, "darwin", "amd64", nil},
		{"universal binary on Apple silicon", universal, "darwin", "arm64", nil},
		{"other architecture on Linux", linuxARM64, "linux", "amd64",
			[]string{"bootstrap is an ELF executable for linux/arm64", "runs on linux/amd64", "GOOS=linux GOARCH=amd64"}},
		{"Mac binary on Linux", macARM64, "linux", "arm64",
			[]string{"bootstrap is a Mach-O executable for darwin/arm64", "runs on linux/arm64", "GOOS=linux GOARCH=arm64"}},
		{"Linux binary on a Mac", linuxARM64, "darwin", "arm64",
			[]string{"ELF executable for linux/arm64", "runs on darwin/arm64", "executes functions natively",
				"GOOS=darwin GOARCH=arm64", "AWS and containers get linux/arm64"}},
		{"Intel Mac binary on Apple silicon", writeBootstrap(t, machoHeader(macho.CpuAmd64)), "darwin", "arm64",
			[]string{"Mach-O executable for darwin/amd64", "GOOS=darwin GOARCH=arm64"}},
		{"Windows binary on Linux", windows, "linux", "amd64",
			[]string{"PE executable for windows/amd64", "GOOS=linux GOARCH=amd64"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := checkExecutableFor(tc.path, tc.goos, tc.goarch)
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted a binary this host cannot execute")
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}
