package lambda

// Request bodies of the Lambda API. They are declared here rather than
// decoded into aws-sdk-go-v2's input types because importing the SDK's
// service packages costs the emulator about 2 MiB of resident memory (their
// generated schemas), and its idle footprint is a target. Field names are
// the wire names; only the fields the emulator uses are listed.

// The OS-only runtimes, whose zip brings bootstrap (the language runtimes
// are in languages.go).
const (
	runtimeProvidedAL2023 = "provided.al2023"
	runtimeProvidedAL2    = "provided.al2"
	runtimeProvided       = "provided"
)

type envRequest struct {
	Variables map[string]string `json:"Variables"`
}

type createFunctionRequest struct {
	FunctionName  *string     `json:"FunctionName"`
	Runtime       string      `json:"Runtime"`
	Role          *string     `json:"Role"`
	Handler       *string     `json:"Handler"`
	Description   *string     `json:"Description"`
	Timeout       *int32      `json:"Timeout"`
	MemorySize    *int32      `json:"MemorySize"`
	Environment   *envRequest `json:"Environment"`
	Architectures []string    `json:"Architectures"`
	Code          *struct {
		ZipFile []byte `json:"ZipFile"`
	} `json:"Code"`
}

type updateFunctionCodeRequest struct {
	ZipFile       []byte   `json:"ZipFile"`
	Architectures []string `json:"Architectures"`
}

type updateFunctionConfigurationRequest struct {
	Environment *envRequest `json:"Environment"`
	Timeout     *int32      `json:"Timeout"`
	MemorySize  *int32      `json:"MemorySize"`
	Description *string     `json:"Description"`
	Handler     *string     `json:"Handler"`
	Role        *string     `json:"Role"`
	Runtime     string      `json:"Runtime"`
}

type addPermissionRequest struct {
	StatementID *string `json:"StatementId"`
	Action      *string `json:"Action"`
	Principal   *string `json:"Principal"`
	SourceArn   *string `json:"SourceArn"`
}

type putFunctionConcurrencyRequest struct {
	ReservedConcurrentExecutions *int32 `json:"ReservedConcurrentExecutions"`
}
