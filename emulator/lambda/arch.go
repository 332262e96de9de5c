package lambda

import "runtime"

// ELF e_machine values of the architectures Lambda offers.
const (
	elfX86_64  = 62
	elfAArch64 = 183
)

func hostELFMachine() uint16 {
	switch runtime.GOARCH {
	case "amd64":
		return elfX86_64
	case "arm64":
		return elfAArch64
	}
	return 0
}

func elfMachineName(m uint16) string {
	switch m {
	case elfX86_64:
		return "x86_64 (amd64)"
	case elfAArch64:
		return "arm64 (aarch64)"
	}
	return "an unknown machine"
}
