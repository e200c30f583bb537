package demo

import "bytes"

// seenSet remembers which strings were made, in fixed memory whatever the
// number of contacts: a Bloom filter sized for 10 million e-mail addresses
// at about one false "seen" in a hundred. A false "seen" only makes an
// address a little longer than it had to be.
type seenSet struct{ bits []uint64 }

const (
	seenBits   = 1 << 27 // 16 MiB
	seenHashes = 7
)

// add records s and reports whether it (probably) was recorded before.
func (b *seenSet) add(s []byte) bool {
	if b.bits == nil {
		b.bits = make([]uint64, seenBits/64)
	}
	// FNV-1a, split into two hashes for double hashing.
	h := uint64(14695981039346656037)
	for _, c := range s {
		h ^= uint64(c)
		h *= 1099511628211
	}
	h1, h2 := h, h>>33|h<<31|1
	seen := true
	for i := range uint64(seenHashes) {
		bit := (h1 + i*h2) % seenBits
		w, m := bit/64, uint64(1)<<(bit%64)
		if b.bits[w]&m == 0 {
			seen = false
			b.bits[w] |= m
		}
	}
	return seen
}

// keepEmail keeps the e-mail address written since start in dst, first
// making it one no earlier contact has: a person is not the only J. Smith
// at gmail.com, so, as mail providers make people do, a taken address gets
// digits after its local part.
func (g *Generator) keepEmail(dst *string, start int) {
	t := &g.txt
	for {
		addr := t.buf[start:]
		if !g.seenMail.add(addr) {
			break
		}
		at := bytes.LastIndexByte(addr, '@')
		g.domainTmp = append(g.domainTmp[:0], addr[at:]...)
		t.buf = t.buf[:start+at]
		t.int(1 + g.rng.IntN(99))
		t.buf = append(t.buf, g.domainTmp...)
	}
	t.keep(dst, start)
}
