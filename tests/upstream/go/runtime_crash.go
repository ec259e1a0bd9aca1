//go:build ignore

// The in-process defer/recover/Goexit test of Go's src/runtime/crash_test.go, as a program:
// `runtime_crash TestGoexitDefer` runs it through testing_shim.go (build: go build
// runtime_crash.go testing_shim.go). tests/upstream/runtime_crash.cpp is the C++ translation;
// crash_test.go's tests that run testprog are go/testprog.go. *testing.T is the shim's *T.
//
// Copyright 2012 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import "runtime"

func main() {
	dispatch(map[string]func(){
		"TestGoexitDefer": func() { runTest("TestGoexitDefer", TestGoexitDefer) },
	})
}

func TestGoexitDefer(t *T) {
	c := make(chan struct{})
	go func() {
		defer func() {
			r := recover()
			if r != nil {
				t.Errorf("non-nil recover during Goexit")
			}
			c <- struct{}{}
		}()
		runtime.Goexit()
	}()
	// Note: if the defer fails to run, we will get a deadlock here
	<-c
}
