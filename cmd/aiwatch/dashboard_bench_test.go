package main

// The dashboard's speed targets (product issue 5) on the real SQLite
// store, through the same source adapter and query parser the binary
// uses:
//
//   - BenchmarkFirstFrame: open the store, build the dashboard, run its
//     start-up commands to the end and draw, at 100k and 1M items
//     (target ≤ 100 ms);
//   - BenchmarkFilterKeystroke: one keystroke in the filter bar to the
//     next drawn view, the count and the news window included (target
//     p95 ≤ 16 ms at 100k items);
//   - BenchmarkDashboardRSS: the resident memory of a process that opened
//     the 1M store, drew the first frame and filtered (target ≤ 150 MB).
//
// The stores are built once per generator version and kept in the
// system's temporary folder (aiwatch-bench-N-vV.db), since a million
// items take minutes to save; a store is only built when a benchmark
// that needs it runs.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
	"github.com/aiwatch/aiwatch/store/sqlite"
	"github.com/aiwatch/aiwatch/ui"
	"github.com/aiwatch/aiwatch/ui/bidi"
	"github.com/aiwatch/aiwatch/ui/filterbar"
)

// benchDBVersion names the generator's output; change it whenever
// genBenchStore changes, so that stale cached stores are rebuilt.
const benchDBVersion = 1

// benchFeeds is how many feeds the generated items are spread over.
const benchFeeds = 100

// benchDB returns the path of a store holding n generated items, building
// it when no cached copy of this generator version exists.
func benchDB(b *testing.B, n int) string {
	b.Helper()
	if n > 1_000_000 {
		b.Skipf("%d items: built for the team store only (bench/team.sh SIZE=10M BACKENDS=1)", n)
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("aiwatch-bench-%d-v%d.db", n, benchDBVersion))
	if _, err := os.Stat(path); err == nil {
		// Open it once, so that a newer schema's migrations run here
		// rather than in a timed run.
		db, err := sqlite.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
		return path
	}
	b.Logf("building %s (%d items); later runs reuse it", path, n)
	start := time.Now()
	// Build in memory where there is a tmpfs: saving is then bound by the
	// CPU rather than by the disk's flushes.
	dir := filepath.Dir(path)
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		dir = "/dev/shm"
	}
	// The process ID keeps builds by several checkouts at once apart.
	tmp := filepath.Join(dir, fmt.Sprintf("%s.%d.building", filepath.Base(path), os.Getpid()))
	defer func() {
		for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm", path + ".copy"} {
			os.Remove(p)
		}
	}()
	if err := genBenchStore(tmp, n); err != nil {
		b.Fatalf("build %s: %v", path, err)
	}
	if err := copyFile(tmp, path+".copy"); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(path+".copy", path); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s in %v", path, time.Since(start).Round(time.Second))
	return path
}

// copyFile copies the file at from to to.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// benchNames are a firm's names in the three scripts the product reads.
type benchNames struct {
	id         string
	en, zh, ar string
}

// benchFirmNames returns every reference firm with one alias per script,
// in reference order (the most newsworthy first).
func benchFirmNames(ds *reference.Dataset) []benchNames {
	first := map[string]map[string]string{}
	for _, al := range reference.Aliases() {
		if al.Kind != store.KindFirm {
			continue
		}
		if first[al.Entity] == nil {
			first[al.Entity] = map[string]string{}
		}
		if _, ok := first[al.Entity][al.Lang]; !ok {
			first[al.Entity][al.Lang] = al.Text
		}
	}
	var out []benchNames
	for _, f := range ds.Firms {
		n := benchNames{id: f.ID, en: first[f.ID]["en"], zh: first[f.ID]["zh"], ar: first[f.ID]["ar"]}
		if n.en == "" {
			n.en = f.Name
		}
		if n.zh == "" {
			n.zh = f.NameZH
		}
		if n.zh == "" {
			n.zh = n.en
		}
		if n.ar == "" {
			n.ar = n.en
		}
		out = append(out, n)
	}
	return out
}

// Headlines and sentences per language; %s is a list of firm names.
var (
	benchTitles = map[string][]string{
		"en": {"%s unveil new AI accelerators", "%s report strong demand for inference chips",
			"Export controls weigh on %s", "%s join national computing push", "Analysts weigh the outlook for %s"},
		"zh": {"%s发布新一代人工智能芯片", "%s推理芯片需求强劲", "出口管制影响%s", "%s加入国家算力计划", "分析师看好%s前景"},
		"ar": {"%s تكشف عن مسرعات ذكاء اصطناعي جديدة", "طلب قوي على رقائق %s", "قيود التصدير تؤثر على %s",
			"%s تنضم إلى مبادرة الحوسبة الوطنية"},
	}
	benchFiller = map[string][]string{
		"en": {"Analysts expect demand for domestic accelerators to keep rising through next year.",
			"Supply of advanced packaging stays tight, according to people familiar with the matter.",
			"The company did not respond to a request for comment.",
			"Cloud providers are expanding capacity in Guizhou and Inner Mongolia."},
		"zh": {"业内人士表示，算力需求持续增长。", "国产芯片在推理场景中的部署正在加快。", "公司未回应置评请求。", "多家云服务商正在扩建数据中心。"},
		"ar": {"ويرى محللون أن الطلب على الرقائق المحلية سيواصل الارتفاع.", "ولم ترد الشركة على طلب للتعليق.",
			"وتوسع شركات الحوسبة السحابية قدراتها في عدة مقاطعات."},
	}
	benchJoin = map[string]string{"en": " and ", "zh": "、", "ar": " و"}
)

// genBenchStore writes a seeded store at path with n items spread over
// benchFeeds feeds: titles and summaries in English, Chinese or Arabic
// naming one to three firms (popular firms more often), tagged with those
// firms, published over the two years before 2026-11-28, about 30% read
// and a few starred; a few feeds are failing.
func genBenchStore(path string, n int) error {
	ctx := context.Background()
	db, err := sqlite.Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	ds, err := reference.Load()
	if err != nil {
		return err
	}
	if _, err := db.Seed(ctx, ds); err != nil {
		return err
	}
	firms := benchFirmNames(ds)
	// Zipf-like popularity: firm k is named about 1/(k+1) as often as the first.
	weights := make([]float64, len(firms))
	var sum float64
	for i := range weights {
		sum += 1 / float64(i+1)
		weights[i] = sum
	}
	pick := func(r *rand.Rand) int {
		x := r.Float64() * sum
		return sort.SearchFloat64s(weights, x)
	}
	r := rand.New(rand.NewPCG(1, benchDBVersion))
	end := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	span := int64(2 * 365 * 24 * time.Hour / time.Second)
	langs := []string{"en", "en", "en", "en", "en", "zh", "zh", "zh", "zh", "ar"}
	per := (n + benchFeeds - 1) / benchFeeds
	made := 0
	for f := 0; f < benchFeeds && made < n; f++ {
		lang := langs[f%len(langs)]
		feedID, err := db.AddFeed(ctx, store.Feed{URL: fmt.Sprintf("https://news%d.example.org/feed.xml", f),
			Title: fmt.Sprintf("Bench %s news %d", lang, f), Lang: lang, Enabled: true})
		if err != nil {
			return err
		}
		count := min(per, n-made)
		for lo := 0; lo < count; lo += 10000 {
			batch := make([]store.Item, 0, min(10000, count-lo))
			for i := lo; i < count && i < lo+10000; i++ {
				batch = append(batch, genBenchItem(r, firms, pick, lang, f, i, end.Unix()-r.Int64N(span)))
			}
			if _, err := db.SaveItems(ctx, feedID, batch); err != nil {
				return err
			}
		}
		made += count
	}
	sqlDB := db.SQL()
	for _, q := range []string{
		// About 30% read and 0.5% starred, spread evenly; the triggers keep
		// the counters right.
		`UPDATE items SET read = 1 WHERE (id * 2654435761) % 100 < 30`,
		`UPDATE items SET starred = 1 WHERE (id * 40503) % 200 = 0`,
		`UPDATE feeds SET last_check = ` + strconv.FormatInt(end.Unix()-600, 10) + `, last_success = ` + strconv.FormatInt(end.Unix()-600, 10) + ` WHERE url LIKE 'https://news%'`,
		`UPDATE feeds SET last_error = 'HTTP 503', failures = 3, last_status = 503 WHERE url LIKE 'https://news%' AND id % 23 = 0`,
		`PRAGMA wal_checkpoint(TRUNCATE)`,
	} {
		if _, err := sqlDB.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// genBenchItem returns the i-th item of feed f.
func genBenchItem(r *rand.Rand, firms []benchNames, pick func(*rand.Rand) int, lang string, f, i int, published int64) store.Item {
	k := 1
	if x := r.IntN(100); x >= 85 {
		k = 3
	} else if x >= 50 {
		k = 2
	}
	var ids, names []string
	for len(ids) < k {
		fm := firms[pick(r)]
		if slices.Contains(ids, fm.id) {
			continue
		}
		ids = append(ids, fm.id)
		switch lang {
		case "zh":
			names = append(names, fm.zh)
		case "ar":
			names = append(names, fm.ar)
		default:
			names = append(names, fm.en)
		}
	}
	who := strings.Join(names, benchJoin[lang])
	titles := benchTitles[lang]
	title := fmt.Sprintf(titles[r.IntN(len(titles))], who)
	var sb strings.Builder
	sb.WriteString(title)
	filler := benchFiller[lang]
	for j := 0; j < 1+r.IntN(3); j++ {
		if lang != "zh" {
			sb.WriteByte(' ')
		}
		sb.WriteString(filler[r.IntN(len(filler))])
	}
	var mentions []store.Mention
	for j, name := range names {
		if at := strings.Index(title, name); at >= 0 {
			mentions = append(mentions, store.Mention{Entity: ids[j], Kind: store.KindFirm,
				Alias: name, Field: store.FieldTitle, Start: at, End: at + len(name)})
		}
	}
	slices.Sort(ids)
	return store.Item{
		Key:       fmt.Sprintf("bench-%d-%d", f, i),
		URL:       fmt.Sprintf("https://news%d.example.org/%d.html", f, i),
		Title:     title,
		Summary:   sb.String(),
		Lang:      lang,
		Published: time.Unix(published, 0).UTC(),
		Sanctions: r.IntN(20) == 0,
		Firms:     ids,
		Mentions:  mentions,
	}
}

// benchDriver runs the dashboard's commands synchronously, as
// ui/internal/drive does for the ui package's own benchmarks, except for
// timers (tea.Tick): those run in the background, so that the polling
// timer never holds the driver up, and a keystroke can wait for its
// filter-bar debounce without that wait being timed.
type benchDriver struct {
	m     tea.Model
	ticks chan tea.Msg
}

func newBenchDriver(m tea.Model) *benchDriver {
	return &benchDriver{m: m, ticks: make(chan tea.Msg, 64)}
}

// isTick reports whether c was made by tea.Tick.
func isTick(c tea.Cmd) bool {
	name := runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name()
	return strings.HasPrefix(name, "charm.land/bubbletea/v2.Tick.")
}

// cmdsOf returns the commands of a batch or sequence message.
func cmdsOf(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil, false
	}
	out := make([]tea.Cmd, v.Len())
	for i := range out {
		out[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return out, true
}

// send delivers msg and runs every command that follows to the end.
func (d *benchDriver) send(msg tea.Msg) {
	var cmd tea.Cmd
	d.m, cmd = d.m.Update(msg)
	d.run(cmd)
}

// run runs cmd and every command that follows, but timers.
func (d *benchDriver) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		if isTick(c) {
			go func() {
				select {
				case d.ticks <- c():
				default:
				}
			}()
			continue
		}
		msg := c()
		if msg == nil {
			continue
		}
		if cmds, ok := cmdsOf(msg); ok {
			queue = append(queue, cmds...)
			continue
		}
		var next tea.Cmd
		d.m, next = d.m.Update(msg)
		queue = append(queue, next)
	}
}

// debounce waits for the filter bar's debounce timer, dropping other
// timers' messages (the data-version poll).
func (d *benchDriver) debounce(tb testing.TB) filterbar.DebounceMsg {
	timeout := time.After(5 * time.Second)
	for {
		select {
		case msg := <-d.ticks:
			if m, ok := msg.(filterbar.DebounceMsg); ok {
				return m
			}
		case <-timeout:
			tb.Fatal("no filter-bar debounce after a keystroke")
		}
	}
}

// view draws the dashboard, without styles.
func (d *benchDriver) view() string { return ansi.Strip(d.m.View().Content) }

// dashboardSession is a dashboard over a store, as cmdDashboard builds it.
type dashboardSession struct {
	a   *app
	d   *benchDriver
	cfg ui.Config
}

// openDashboard opens the store at path as aiwatch does (open, migrate,
// seed check, SQLite's memory bound), builds the dashboard over it, and draws the first frame
// at w×h after every start-up command has answered. The returned frame
// is the view without styles.
func openDashboard(tb testing.TB, path string, w, h int) (*dashboardSession, string) {
	return openDashboardWith(tb, path, "", nil, w, h)
}

// openDashboardConfig is openDashboard with the config file at cfgPath
// read first, as aiwatch reads it ("" for none).
func openDashboardConfig(tb testing.TB, path, cfgPath string, w, h int) (*dashboardSession, string) {
	return openDashboardWith(tb, path, cfgPath, nil, w, h)
}

// openDashboardBidi is openDashboard drawing right-to-left text in mode.
func openDashboardBidi(tb testing.TB, path string, w, h int, mode bidi.Mode) (*dashboardSession, string) {
	return openDashboardWith(tb, path, "", &mode, w, h)
}

// openDashboardWith is openDashboard with a config file and, unless nil,
// a --bidi mode.
func openDashboardWith(tb testing.TB, path, cfgPath string, mode *bidi.Mode, w, h int) (*dashboardSession, string) {
	a := &app{env: env{getenv: func(string) string { return "" }, now: time.Now}, ctx: context.Background(), dbFlag: path, configFlag: cfgPath,
		open: sqlite.Options{SoftHeapLimit: dashboardHeapLimit}}
	if mode != nil {
		a.bidi, a.bidiSet = *mode, true
	}
	if err := a.loadConfig(); err != nil {
		tb.Fatal(err)
	}
	db, err := a.store()
	if err != nil {
		tb.Fatal(err)
	}
	cfg, err := dashboardConfig(a, db)
	if err != nil {
		tb.Fatal(err)
	}
	if mode != nil {
		cfg.Bidi = *mode
	}
	m := ui.New(cfg)
	d := newBenchDriver(m)
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(m.Init())
	return &dashboardSession{a: a, d: d, cfg: cfg}, d.view()
}

func (s *dashboardSession) close() {
	if s.a.db != nil {
		s.a.db.Close()
	}
}

// checkFrame fails unless frame shows the store's item count on the
// status line (or a larger one: bench/team.sh runs a fetcher beside the
// benchmark) and at least one news row, i.e. the data has arrived.
func checkFrame(tb testing.TB, frame string, total int) {
	tb.Helper()
	m := regexp.MustCompile(`([0-9]+) items`).FindStringSubmatch(frame)
	if n, _ := strconv.Atoi(m2(m)); n < total || n == 0 {
		tb.Fatalf("first frame lacks the item count %d:\n%s", total, frame)
	}
	if !strings.Contains(frame, "news") && !strings.Contains(frame, "News") {
		tb.Fatalf("first frame lacks the news pane:\n%s", frame)
	}
}

// m2 is a submatch's first group, or "".
func m2(m []string) string {
	if len(m) < 2 {
		return ""
	}
	return m[1]
}

// storeTotal counts the stories of the store at path: what the dashboard
// says it holds.
func storeTotal(tb testing.TB, path string) int {
	a := &app{env: env{getenv: func(string) string { return "" }, now: time.Now}, ctx: context.Background(), dbFlag: path}
	db, err := a.store()
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	c, err := db.CountItems(context.Background(), store.Filter{})
	if err != nil {
		tb.Fatal(err)
	}
	return c.Total
}

var benchStoreSizes = []struct {
	name string
	n    int
}{{"100k", 100_000}, {"1M", 1_000_000}, {"10M", 10_000_000}}

// BenchmarkFirstFrame measures, at 200×50, opening the store, building the
// dashboard, running every start-up command to its answer (one after
// another, where Bubble Tea runs them at once) and drawing the frame. The
// frame is drawn with right-to-left text left to the terminal (terminal)
// and shaped and reordered by aiwatch (app); the generated store's
// Arabic feeds put Arabic rows on it.
func BenchmarkFirstFrame(b *testing.B) {
	for _, be := range benchBackends() {
		for _, size := range benchStoreSizes {
			for _, mode := range []bidi.Mode{bidi.Terminal, bidi.App} {
				b.Run(be.name+size.name+"/"+mode.String(), func(b *testing.B) {
					benchFirstFrame(b, be.store(b, size.n), mode)
				})
			}
		}
	}
}

func benchFirstFrame(b *testing.B, path string, mode bidi.Mode) {
	total := storeTotal(b, path)
	var cpu time.Duration
	for b.Loop() {
		start := processCPU()
		s, frame := openDashboardBidi(b, path, 200, 50, mode)
		cpu += processCPU() - start
		b.StopTimer()
		checkFrame(b, frame, total)
		s.close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/frame")
	// CPU time is steadier than wall time on a busy machine.
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/frame")
}

// benchQuery is typed into the filter bar one character at a time, then
// deleted one at a time: every prefix is a query the store answers
// (malformed ones such as "firm:" only show an error).
const benchQuery = "firm:huawei 华为"

// keystroke types k into the dashboard and returns two latencies, to the
// echo and to the answer, and the CPU time the answer took: to the echo, the key
// handled and the view drawn; and to the answer, the key handled and,
// once the filter bar's debounce fired, the query parsed, the matches
// counted, the news window read and the view drawn. The debounce wait
// (filterbar.DefaultDebounce) is not counted, nor the echo's drawing,
// which happens during that wait.
func (s *dashboardSession) keystroke(tb testing.TB, k tea.KeyPressMsg) (echo, answer, answerCPU time.Duration) {
	start, cpu := time.Now(), processCPU()
	s.d.send(k)
	key, keyCPU := time.Since(start), processCPU()-cpu
	_ = s.d.m.View()
	echo = time.Since(start)
	deb := s.d.debounce(tb)
	start, cpu = time.Now(), processCPU()
	s.d.send(deb)
	_ = s.d.m.View()
	return echo, key + time.Since(start), keyCPU + processCPU() - cpu
}

// processCPU returns the CPU time this process has used, in every
// thread. On a busy machine it is a steadier measure of the dashboard's
// own work than wall time.
func processCPU() time.Duration {
	var ts syscall.Timespec
	const clockProcessCPUTime = 2 // CLOCK_PROCESS_CPUTIME_ID
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// keyFor returns the key press that types r, or backspace for 0.
func keyFor(r rune) tea.KeyPressMsg {
	if r == 0 {
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	return tea.KeyPressMsg{Code: r, Text: string(r)}
}

// percentile returns the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

// BenchmarkFilterKeystroke measures a filter keystroke to the next drawn
// view (see keystroke) while typing benchQuery and deleting it again, at
// 200×50, and reports the median and the 95th percentile.
func BenchmarkFilterKeystroke(b *testing.B) {
	for _, be := range benchBackends() {
		for _, size := range benchStoreSizes {
			b.Run(be.name+size.name, func(b *testing.B) { benchFilterKeystroke(b, be.store(b, size.n)) })
		}
	}
}

func benchFilterKeystroke(b *testing.B, path string) {
	s, frame := openDashboard(b, path, 200, 50)
	defer s.close()
	checkFrame(b, frame, storeTotal(b, path))
	s.d.send(keyFor('/'))
	var echoes, lat, cpu []time.Duration
	byPrefix := map[string][]time.Duration{}
	cpuByPrefix := map[string][]time.Duration{}
	runes := []rune(benchQuery)
	press := func(k tea.KeyPressMsg, prefix string) {
		e, d, c := s.keystroke(b, k)
		echoes, lat, cpu = append(echoes, e), append(lat, d), append(cpu, c)
		byPrefix[prefix] = append(byPrefix[prefix], d)
		cpuByPrefix[prefix] = append(cpuByPrefix[prefix], c)
	}
	for b.Loop() {
		b.StopTimer() // the debounce waits are not the dashboard's time
		for i, r := range runes {
			press(keyFor(r), "+"+string(runes[:i+1]))
		}
		for i := len(runes); i > 0; i-- {
			press(keyFor(0), "-"+string(runes[:i-1]))
		}
		b.StartTimer()
	}
	if !strings.Contains(s.d.view(), "/ ") {
		b.Fatalf("the filter bar closed:\n%s", s.d.view())
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	for _, ds := range [][]time.Duration{echoes, lat, cpu} {
		slices.Sort(ds)
	}
	b.ReportMetric(ms(percentile(lat, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 95)), "p95-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	b.ReportMetric(ms(percentile(cpu, 50)), "cpu-p50-ms")
	b.ReportMetric(ms(percentile(cpu, 95)), "cpu-p95-ms")
	b.ReportMetric(ms(percentile(echoes, 95)), "echo-p95-ms")
	if testing.Verbose() {
		keys := make([]string, 0, len(byPrefix))
		for k := range byPrefix {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ds, cs := byPrefix[k], cpuByPrefix[k]
			slices.Sort(ds)
			slices.Sort(cs)
			b.Logf("%-20q median %v, CPU %v", k, percentile(ds, 50).Round(10*time.Microsecond), percentile(cs, 50).Round(10*time.Microsecond))
		}
	}
}

// rssProbeEnv makes TestDashboardRSSProbe open the store it names, draw
// the first frame, type benchQuery, and print its memory figures.
const rssProbeEnv = "AIWATCH_BENCH_RSS_DB"

// procStatus returns the named fields of /proc/self/status, in KiB.
func procStatus(tb testing.TB, fields ...string) map[string]int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && slices.Contains(fields, k) {
			out[k], _ = strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return out
}

// TestDashboardRSSProbe is the child process of BenchmarkDashboardRSS; it
// does nothing in a normal test run.
func TestDashboardRSSProbe(t *testing.T) {
	path := os.Getenv(rssProbeEnv)
	if path == "" {
		t.Skip("run by BenchmarkDashboardRSS")
	}
	// What the test binary itself holds before the store is opened.
	base := procStatus(t, "VmRSS")["VmRSS"]
	s, frame := openDashboard(t, path, 200, 50)
	defer s.close()
	if !strings.Contains(frame, " items") {
		t.Fatalf("no first frame:\n%s", frame)
	}
	first := procStatus(t, "VmRSS", "VmHWM")
	s.d.send(keyFor('/'))
	for _, r := range benchQuery {
		s.keystroke(t, keyFor(r))
	}
	for range []rune(benchQuery) {
		s.keystroke(t, keyFor(0))
	}
	after := procStatus(t, "VmRSS", "VmHWM")
	fmt.Printf("rss-probe base=%d first-rss=%d first-hwm=%d typed-rss=%d typed-hwm=%d\n",
		base, first["VmRSS"], first["VmHWM"], after["VmRSS"], after["VmHWM"])
}

// BenchmarkDashboardRSS runs TestDashboardRSSProbe in a fresh process over
// the 1M store and reports its peak resident memory after the first frame
// and after filtering, less the test binary's own footprint before the
// store was opened (the -net figures), and as measured (-hwm).
func BenchmarkDashboardRSS(b *testing.B) {
	for _, size := range benchStoreSizes[1:] {
		b.Run(size.name, func(b *testing.B) {
			path := benchDB(b, size.n)
			var fields map[string]int
			for b.Loop() {
				cmd := exec.Command(os.Args[0], "-test.run=^TestDashboardRSSProbe$", "-test.count=1")
				cmd.Env = append(os.Environ(), rssProbeEnv+"="+path)
				out, err := cmd.CombinedOutput()
				if err != nil {
					b.Fatalf("probe: %v\n%s", err, out)
				}
				fields = map[string]int{}
				for _, line := range strings.Split(string(out), "\n") {
					rest, ok := strings.CutPrefix(line, "rss-probe ")
					if !ok {
						continue
					}
					for _, kv := range strings.Fields(rest) {
						k, v, _ := strings.Cut(kv, "=")
						fields[k], _ = strconv.Atoi(v)
					}
				}
				if len(fields) == 0 {
					b.Fatalf("probe printed no figures:\n%s", out)
				}
			}
			mb := func(kib int) float64 { return float64(kib) / 1024 }
			b.ReportMetric(mb(fields["base"]), "base-MB")
			b.ReportMetric(mb(fields["first-hwm"]), "first-hwm-MB")
			b.ReportMetric(mb(fields["first-hwm"]-fields["base"]), "first-net-MB")
			b.ReportMetric(mb(fields["typed-hwm"]), "typed-hwm-MB")
			b.ReportMetric(mb(fields["typed-hwm"]-fields["base"]), "typed-net-MB")
		})
	}
}
