// Command testfn is a Lambda function for the emulator's own tests, built
// as a real bootstrap; see package handler for what it does.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/coolroom/testbed/emulator/internal/testfn/handler"
)

func main() {
	// TESTFN_INIT_FAIL makes the init phase fail, before the runtime loop.
	if os.Getenv("TESTFN_INIT_FAIL") == "1" {
		fmt.Println("testfn failing its init on purpose")
		os.Exit(2)
	}
	lambda.Start(handler.Handle)
}
