package storagetest

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"runtime/metrics"
	"sync"
	"time"
)

// generated yields left pseudo-random bytes, made as they are read, so
// that a test can stream content far larger than it holds.
type generated struct {
	left int64
	x    uint32
}

func (g *generated) Read(p []byte) (int, error) {
	if g.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	for i := range p {
		g.x = g.x*1664525 + 1013904223
		p[i] = byte(g.x >> 24)
	}
	g.left -= int64(len(p))
	return len(p), nil
}

// hasher counts and hashes what is written to it.
type hasher struct {
	h hash.Hash
	n int64
}

func newHasher() *hasher { return &hasher{h: sha256.New()} }

func (h *hasher) Write(p []byte) (int, error) {
	h.n += int64(len(p))
	return h.h.Write(p)
}

func (h *hasher) sum() string { return hex.EncodeToString(h.h.Sum(nil)) }

// heapPeak samples the bytes the Go heap's objects occupy (live and not
// yet swept) until stopped, and keeps the largest reading. It reads
// runtime/metrics, which does not stop the world.
type heapPeak struct {
	done chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	max  int64
}

const heapObjects = "/memory/classes/heap/objects:bytes"

func heapNow() int64 {
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

func newHeapPeak() *heapPeak {
	p := &heapPeak{done: make(chan struct{}), max: heapNow()}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-tick.C:
				if n := heapNow(); n > p.max {
					p.mu.Lock()
					p.max = n
					p.mu.Unlock()
				}
			}
		}
	}()
	return p
}

// stop ends the sampling and returns the peak.
func (p *heapPeak) stop() int64 {
	close(p.done)
	p.wg.Wait()
	if n := heapNow(); n > p.max {
		p.max = n
	}
	return p.max
}
