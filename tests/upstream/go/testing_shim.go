//go:build ignore

// testing_shim.go: a stand-in for Go's testing package, built with the ports of the runtime's
// _test.go files (runtime_defer.go, runtime_callers.go, runtime_crash.go). As in Go, a test runs
// on a goroutine of its own; t.Fatal prints its message, marks the test failed and calls
// runtime.Goexit, which runs the test's deferred calls; t.Errorf only marks it failed. runTest
// prints `=== RUN`, then `--- PASS` or `--- FAIL` (without the time); a failed test makes the
// program exit with status 1. tests/upstream/upstream.hpp has the C++ twin.

package main

import (
	"fmt"
	"os"
	"runtime"
)

type T struct {
	failed bool
}

func (t *T) Helper() {}

func (t *T) Logf(format string, args ...any) {}

func (t *T) Errorf(format string, args ...any) {
	fmt.Println("    " + fmt.Sprintf(format, args...))
	t.failed = true
}

func (t *T) Fatal(args ...any) {
	fmt.Println("    " + fmt.Sprint(args...))
	t.failed = true
	runtime.Goexit()
}

func (t *T) Fatalf(format string, args ...any) {
	t.Fatal(fmt.Sprintf(format, args...))
}

func runTest(name string, test func(t *T)) {
	t := new(T)
	fmt.Println("=== RUN  ", name)
	done := make(chan bool)
	go func() {
		defer close(done)
		test(t)
	}()
	<-done
	if t.failed {
		fmt.Println("--- FAIL:", name)
		os.Exit(1)
	}
	fmt.Println("--- PASS:", name)
}

// The case named by the first argument.
func dispatch(cases map[string]func()) {
	if len(os.Args) < 2 || cases[os.Args[1]] == nil {
		println("unknown case")
		os.Exit(1)
	}
	cases[os.Args[1]]()
}
