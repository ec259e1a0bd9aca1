//go:build ignore

// Go's test/recover2.go ("Test of recover for run-time errors"), as a program: `recover2 CASE` runs one case.
// tests/upstream/recover2.cpp is the C++ translation. Trimmed: main runs the case named by its argument; only test7 (integer division by zero) is kept: the other run-time errors (index and slice
// bounds, interface conversion, uncomparable and unhashable values) have no C++ exception.
//
// Copyright 2010 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"os"
	"strings"
)

func main() {
	cases := map[string]func(){
		"test7": test7,
	}
	if len(os.Args) < 2 || cases[os.Args[1]] == nil {
		println("unknown case")
		os.Exit(1)
	}
	cases[os.Args[1]]()
}

func mustRecover(s string) {
	v := recover()
	if v == nil {
		panic("expected panic")
	}
	if e := v.(error).Error(); strings.Index(e, s) < 0 {
		panic("want: " + s + "; have: " + e)
	}
}

func test7() {
	defer mustRecover("divide by zero")
	var x, y int
	println(x / y)
}
