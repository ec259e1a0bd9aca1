// Go's own defer, panic and recover, measured the way bench/frame_bench.cpp and
// bench/panic_bench.cpp measure godefer (bench/report.py puts them side by side):
//
//	go test -run '^$' -bench . -count 9 -benchtime 200ms
//
// BenchmarkDeferLoop/n=N    a function that defers N small closures in a loop (Go allocates a
//                           defer record per call: loop defers are not open-coded), then returns
// BenchmarkDefer            a function with one defer statement (open-coded by the compiler)
// BenchmarkPanicRecover/depth=d
//                           a function that defers a recover() closure, then calls d plain
//                           (non-inlined) functions, the last of which panics
package bench

import (
	"strconv"
	"testing"
)

var counter int64

//go:noinline
func deferLoop(c *int64, n int) {
	for i := 0; i < n; i++ {
		defer func() { *c++ }()
	}
}

func BenchmarkDeferLoop(b *testing.B) {
	for _, n := range []int{1, 8, 64, 1024} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				deferLoop(&counter, n)
			}
			if counter < int64(b.N*n) {
				b.Fatal("calls lost")
			}
			counter = 0
		})
	}
}

//go:noinline
func deferOne(c *int64) int64 {
	defer func() { *c++ }()
	return *c + 1
}

func BenchmarkDefer(b *testing.B) {
	var sink int64
	for i := 0; i < b.N; i++ {
		sink += deferOne(&counter)
	}
	if counter < int64(b.N) || sink == 0 {
		b.Fatal("calls lost")
	}
	counter = 0
}

//go:noinline
func level(d int) {
	if d <= 0 {
		if d == 0 {
			panic("boom")
		}
		return
	}
	level(d - 1)
	counter += 0 // not a tail call: the frame stays on the stack
}

//go:noinline
func panicRecover(c *int64, d int) {
	defer func() {
		if r := recover(); r != nil {
			*c++
		}
	}()
	level(d)
}

func BenchmarkPanicRecover(b *testing.B) {
	for _, d := range []int{0, 1, 10, 100} {
		b.Run("depth="+strconv.Itoa(d), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				panicRecover(&counter, d)
			}
			if counter != int64(b.N) {
				b.Fatal("not recovered")
			}
			counter = 0
		})
	}
}
