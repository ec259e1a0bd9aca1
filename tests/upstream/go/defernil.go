//go:build ignore

// Go's test/defernil.go ("Check that deferring a nil function causes a proper panic when the deferred function is invoked"), as a program: `defernil CASE` runs one case.
// tests/upstream/defernil.cpp is the C++ translation. Trimmed: main runs the case named by its argument; upstream main is the function defernil.
//
// Copyright 2019 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"os"
)

func main() {
	cases := map[string]func(){
		"main": defernil,
	}
	if len(os.Args) < 2 || cases[os.Args[1]] == nil {
		println("unknown case")
		os.Exit(1)
	}
	cases[os.Args[1]]()
}

var x = 0

func defernil() {
	defer func() {
		err := recover()
		if err == nil {
			panic("did not panic")
		}
		if x != 1 {
			panic("FAIL")
		}
	}()
	f()
}

func f() {
	var nilf func()
	defer nilf()
	x = 1
}
