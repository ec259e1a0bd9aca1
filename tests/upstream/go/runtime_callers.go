//go:build ignore

// The panic and recover cases of Go's src/runtime/callers_test.go, as a program:
// `runtime_callers TestName` runs one test through testing_shim.go (build: go build
// runtime_callers.go testing_shim.go). tests/upstream/runtime_callers.cpp is the C++ translation.
// Trimmed: the stack inspection (runtime.Callers, testCallers, testCallersEqual and the `want`
// lists of function names) is out of scope and left out; what remains is each test's panics,
// recovers and their checks. *testing.T is the shim's *T.
//
// Copyright 2016 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

func main() {
	dispatch(map[string]func(){
		"TestCallersPanic":                    func() { runTest("TestCallersPanic", TestCallersPanic) },
		"TestCallersDoublePanic":              func() { runTest("TestCallersDoublePanic", TestCallersDoublePanic) },
		"TestCallersAfterRecovery":            func() { runTest("TestCallersAfterRecovery", TestCallersAfterRecovery) },
		"TestCallersAbortedPanic":             func() { runTest("TestCallersAbortedPanic", TestCallersAbortedPanic) },
		"TestCallersAbortedPanic2":            func() { runTest("TestCallersAbortedPanic2", TestCallersAbortedPanic2) },
		"TestCallersDeferNilFuncPanic":        func() { runTest("TestCallersDeferNilFuncPanic", TestCallersDeferNilFuncPanic) },
		"TestCallersDeferNilFuncPanicWithLoop": func() { runTest("TestCallersDeferNilFuncPanicWithLoop", TestCallersDeferNilFuncPanicWithLoop) },
	})
}

func f1(pan bool) []uintptr {
	return f2(pan) // line 15
}

func f2(pan bool) []uintptr {
	return f3(pan) // line 19
}

func f3(pan bool) []uintptr {
	if pan {
		panic("f3") // line 24
	}
	ret := make([]uintptr, 20)
	return ret // trimmed: ret[:runtime.Callers(0, ret)]
}

func TestCallersPanic(t *T) {
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("did not panic")
		}
		// trimmed: the stack inspection
	}()
	f1(true)
}

func TestCallersDoublePanic(t *T) {
	defer func() {
		defer func() {
			// trimmed: pcs := runtime.Callers(...)
			if recover() == nil {
				t.Fatal("did not panic")
			}
			// trimmed: testCallersEqual(t, pcs, want)
		}()
		if recover() == nil {
			t.Fatal("did not panic")
		}
		panic(2)
	}()
	panic(1)
}

// Test that a defer after a successful recovery looks like it is called directly
// from the function with the defers.
func TestCallersAfterRecovery(t *T) {
	defer func() {
		// trimmed: the stack inspection
	}()
	defer func() {
		if recover() == nil {
			t.Fatal("did not recover from panic")
		}
	}()
	panic(1)
}

func TestCallersAbortedPanic(t *T) {
	defer func() {
		r := recover()
		if r != nil {
			t.Fatalf("should be no panic remaining to recover")
		}
	}()

	defer func() {
		// panic2 was aborted/replaced by panic1, so when panic2 was
		// recovered, there is no remaining panic on the stack.
		// trimmed: the stack inspection
	}()
	defer func() {
		r := recover()
		if r != "panic2" {
			t.Fatalf("got %v, wanted %v", r, "panic2")
		}
	}()
	defer func() {
		// panic2 aborts/replaces panic1, because it is a recursive panic
		// that is not recovered within the defer function called by
		// panic1 panicking sequence
		panic("panic2")
	}()
	panic("panic1")
}

func TestCallersAbortedPanic2(t *T) {
	defer func() {
		r := recover()
		if r != nil {
			t.Fatalf("should be no panic remaining to recover")
		}
	}()
	defer func() {
		// trimmed: the stack inspection
	}()
	func() {
		defer func() {
			r := recover()
			if r != "panic2" {
				t.Fatalf("got %v, wanted %v", r, "panic2")
			}
		}()
		func() {
			defer func() {
				// Again, panic2 aborts/replaces panic1
				panic("panic2")
			}()
			panic("panic1")
		}()
	}()
}

func TestCallersDeferNilFuncPanic(t *T) {
	// Make sure we don't have any extra frames on the stack. We cut off the check
	// at runtime.sigpanic, because non-open-coded defers (which may be used in
	// non-opt or race checker mode) include an extra 'deferreturn' frame (which is
	// where the nil pointer deref happens).
	state := 1

	defer func() {
		if r := recover(); r == nil {
			t.Fatal("did not panic")
		}
		// trimmed: the stack inspection
		if state == 1 {
			t.Fatal("nil defer func panicked at defer time rather than function exit time")
		}

	}()
	var f func()
	defer f()
	// Use the value of 'state' to make sure nil defer func f causes panic at
	// function exit, rather than at the defer statement.
	state = 2
}

// Same test, but forcing non-open-coded defer by putting the defer in a loop.  See
// issue #36050
func TestCallersDeferNilFuncPanicWithLoop(t *T) {
	state := 1

	defer func() {
		if r := recover(); r == nil {
			t.Fatal("did not panic")
		}
		// trimmed: the stack inspection
		if state == 1 {
			t.Fatal("nil defer func panicked at defer time rather than function exit time")
		}

	}()

	for i := 0; i < 1; i++ {
		var f func()
		defer f()
	}
	// Use the value of 'state' to make sure nil defer func f causes panic at
	// function exit, rather than at the defer statement.
	state = 2
}
