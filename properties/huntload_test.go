package properties_test

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"syscall"
	"time"
)

// The load child of the false-alarm hunt: on one thread, at nice 10, it
// alternates hashing and allocating (CPU, memory and the garbage collector)
// with loopback TCP connections opened, written to and closed (the kernel's
// network path, which the provider under test shares), in bursts of 5 ms
// with 5 ms pauses, so it takes about half of a core from the others. It
// stops when its stdin closes, and after huntLoadMax in any case. Each
// second it prints what it did.
const huntLoadMax = 15 * time.Minute

func loadMachine() {
	runtime.GOMAXPROCS(1)
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, 0, 10)
	stop := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(stop)
	}()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("load child:", err)
		os.Exit(1)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	var hashes, conns int
	sink := make([][]byte, 64)
	deadline := time.After(huntLoadMax)
	report := time.NewTicker(time.Second)
	defer report.Stop()
	for {
		select {
		case <-stop:
			return
		case <-deadline:
			return
		case <-report.C:
			fmt.Printf("%d hashes of 4 KiB, %d loopback connections\n", hashes, conns)
		default:
		}
		burst := time.Now().Add(5 * time.Millisecond)
		for time.Now().Before(burst) {
			b := make([]byte, 4<<10)
			sink[hashes%len(sink)] = b
			sha256.Sum256(b)
			hashes++
		}
		if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
			_, _ = c.Write(sink[0][:512])
			c.Close()
			conns++
		}
		time.Sleep(5 * time.Millisecond)
	}
}
