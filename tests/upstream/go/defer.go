//go:build ignore

// Go's test/defer.go ("Test defer"), as a program: `defer CASE` runs one case.
// tests/upstream/defer.cpp is the C++ translation. Trimmed: main runs the case named by its argument.
//
// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"fmt"
	"os"
)

func main() {
	cases := map[string]func(){
		"test1": test1,
		"test2": test2,
	}
	if len(os.Args) < 2 || cases[os.Args[1]] == nil {
		println("unknown case")
		os.Exit(1)
	}
	cases[os.Args[1]]()
}

var result string

func addInt(i int) { result += fmt.Sprint(i) }

func test1helper() {
	for i := 0; i < 10; i++ {
		defer addInt(i)
	}
}

func test1() {
	result = ""
	test1helper()
	if result != "9876543210" {
		fmt.Printf("test1: bad defer result (should be 9876543210): %q\n", result)
		panic("defer")
	}
}

func addDotDotDot(v ...interface{}) { result += fmt.Sprint(v...) }

func test2helper() {
	for i := 0; i < 10; i++ {
		defer addDotDotDot(i)
	}
}

func test2() {
	result = ""
	test2helper()
	if result != "9876543210" {
		fmt.Printf("test2: bad defer result (should be 9876543210): %q\n", result)
		panic("defer")
	}
}

