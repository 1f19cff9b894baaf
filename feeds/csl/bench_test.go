package csl

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

var syllables = strings.Fields("an bao chen da fei gao hai jin kang lan ming nan ping qing rui sheng tai wei xin yang zhi " +
	"al ar bel cor del en gar hel in kor lev mar nor or pet ros sar tor ur vel zan")

var hanzi = []rune("安宝晨达飞高海金康兰明南平青瑞盛泰伟信阳智德恒华锦隆鹏祥新远中")

// benchFirms is testFirms plus synthetic firms, about as many as the
// reference dataset tracks, each with a handful of spellings.
func benchFirms(rng *rand.Rand) []store.Firm {
	firms := testFirms()
	for i := len(firms); i < 35; i++ {
		name := word(rng, 3) + " " + word(rng, 2)
		zh := string(hanzi[rng.IntN(len(hanzi))]) + string(hanzi[rng.IntN(len(hanzi))]) + "智算"
		firms = append(firms, store.Firm{
			ID: fmt.Sprintf("firm-%d", i), Name: name + " Technology Co., Ltd.", NameZH: zh + "科技有限公司", Short: name,
			Aliases: []store.Alias{alias(zh), alias(strings.ToUpper(name[:4])), alias(word(rng, 3) + " AI")},
		})
	}
	return firms
}

func word(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(syllables[rng.IntN(len(syllables))])
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// syntheticCSV writes a consolidated.csv of n rows: mostly parties that
// are not tracked, some Chinese names, and a few hundred rows that name
// tracked firms or their affiliates.
func syntheticCSV(rng *rand.Rand, firms []store.Firm, n int) []byte {
	sources := []string{
		"Entity List (EL) - Bureau of Industry and Security",
		"Specially Designated Nationals (SDN) - Treasury Department",
		"Military End User (MEU) List - Bureau of Industry and Security",
		"Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
		"Unverified List (UVL) - Bureau of Industry and Security",
	}
	types := []string{"", "Entity", "Individual", "Vessel"}
	var buf bytes.Buffer
	buf.WriteString(strings.Join(header, ",") + "\n")
	w := csv.NewWriter(&buf)
	row := make([]string, len(header))
	col := func(name string) int { return slices.Index(header, name) }
	for i := range n {
		for j := range row {
			row[j] = ""
		}
		row[col("_id")] = fmt.Sprintf("%056x", rng.Uint64())
		row[col("source")] = sources[rng.IntN(len(sources))]
		row[col("type")] = types[rng.IntN(len(types))]
		name := word(rng, 2) + " " + word(rng, 3) + " Trading Co., Ltd."
		switch {
		case i%100 == 0:
			f := firms[rng.IntN(len(firms))]
			name = f.Name
		case i%100 == 1:
			f := firms[rng.IntN(len(firms))]
			name = f.Short + " " + word(rng, 2) + " Technologies Co., Ltd."
		case i%10 == 2:
			var zh []rune
			for range 4 + rng.IntN(6) {
				zh = append(zh, hanzi[rng.IntN(len(hanzi))])
			}
			name = string(zh) + "有限公司"
		}
		row[col("name")] = name
		row[col("alt_names")] = word(rng, 3) + "; " + word(rng, 2) + " " + word(rng, 2)
		row[col("addresses")] = word(rng, 2) + " Road, " + word(rng, 2) + ", CN"
		row[col("federal_register_notice")] = fmt.Sprintf("%d FR %d", 80+rng.IntN(10), rng.IntN(90000))
		row[col("start_date")] = fmt.Sprintf("20%02d-%02d-%02d", 10+rng.IntN(15), 1+rng.IntN(12), 1+rng.IntN(28))
		row[col("remarks")] = "For all items subject to the EAR."
		row[col("source_list_url")] = "https://example.gov/list"
		row[col("source_information_url")] = "https://example.gov/info"
		if err := w.Write(row); err != nil {
			panic(err)
		}
	}
	w.Flush()
	return buf.Bytes()
}

// BenchmarkImport times a whole import of a 20,000-row file: Read,
// MatchFirms against 35 firms, and Plan against the designations that
// the file's first import produced.
func BenchmarkImport(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 7))
	firms := benchFirms(rng)
	data := syntheticCSV(rng, firms, 20000)
	f, err := Read(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	applied, _ := MatchFirms(f.Entries, firms)
	first, err := Plan(f, applied, nil, "2025-07-26")
	if err != nil {
		b.Fatal(err)
	}
	current := imported(first)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		f, err := Read(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		applied, candidates := MatchFirms(f.Entries, firms)
		d, err := Plan(f, applied, current, "2025-07-27")
		if err != nil {
			b.Fatal(err)
		}
		if len(applied) == 0 || len(candidates) == 0 || !d.Empty() {
			b.Fatalf("applied %d, candidates %d, diff empty %v", len(applied), len(candidates), d.Empty())
		}
	}
}
