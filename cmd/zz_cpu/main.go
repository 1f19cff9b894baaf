package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/store/reference"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	runtime.LockOSThread()
	f, _ := os.Open("feeds/match/testdata/labelled.jsonl")
	var sb strings.Builder
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c struct{ Text string }
		json.Unmarshal(sc.Bytes(), &c)
		lines = append(lines, c.Text)
	}
	for sb.Len() < 64<<10 {
		for _, l := range lines {
			sb.WriteString(l)
			sb.WriteString("\n\n")
		}
	}
	text := sb.String()
	t0 := cpu()
	m := match.New(reference.Aliases())
	fmt.Println("cold build CPU:", cpu()-t0)
	t0 = cpu()
	for range 20 {
		match.New(reference.Aliases())
	}
	fmt.Println("warm build CPU:", (cpu()-t0)/20)
	runtime.GC()
	for round := 0; round < 3; round++ {
		t0 = cpu()
		n := 300
		for range n {
			m.Match(text)
		}
		d := cpu() - t0
		fmt.Printf("Match: %.1f MB/s of thread CPU (%d bytes x %d)\n", float64(len(text)*n)/d.Seconds()/1e6, len(text), n)
	}
}
