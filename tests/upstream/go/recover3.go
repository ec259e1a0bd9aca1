//go:build ignore

// Go's test/recover3.go ("Test recovering from runtime errors"), as a program: `recover3 CASE` runs one case.
// tests/upstream/recover3.cpp is the C++ translation. Trimmed: main runs the case named by its argument;
// upstream main is the case divZero, keeping its two integer division checks: nil dereferences,
// index and slice bounds and failed type assertions have no C++ exception.
//
// Copyright 2010 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"os"
	"runtime"
	"strings"
)

func main() {
	cases := map[string]func(){
		"divZero": divZero,
	}
	if len(os.Args) < 2 || cases[os.Args[1]] == nil {
		println("unknown case")
		os.Exit(1)
	}
	cases[os.Args[1]]()
}

var didbug bool

func bug() {
	if didbug {
		return
	}
	println("BUG")
	didbug = true
}

func check(name string, f func(), err string) {
	defer func() {
		v := recover()
		if v == nil {
			bug()
			println(name, "did not panic")
			return
		}
		runt, ok := v.(runtime.Error)
		if !ok {
			bug()
			println(name, "panicked but not with runtime.Error")
			return
		}
		s := runt.Error()
		if strings.Index(s, err) < 0 {
			bug()
			println(name, "panicked with", s, "not", err)
			return
		}
	}()

	f()
}

func divZero() {
	var x int
	var x64 int64

	check("int-div-zero", func() { println(1 / x) }, "integer divide by zero")
	check("int64-div-zero", func() { println(1 / x64) }, "integer divide by zero")

	if didbug {
		panic("recover3")
	}
}
