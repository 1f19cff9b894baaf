package main

// Bad environments (product issue 7, point 5): a read-only store, a full
// disk, a missing home directory, a store from a newer aiwatch and a file
// that is not a store. Each gets a clear error and leaves the store as it
// was. CI runs as root, for whom permission bits do not make a file
// read-only: the tests use a read-only tmpfs mount and an immutable file
// (chattr +i) instead, and skip with the reason when the machine allows
// neither; permission bits are tried only when not root.

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// storeDigest is a digest of every file in the store's folder, by name:
// what "unchanged" means for the bytes on disk.
func storeDigest(t testing.TB, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), "filler") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = sha256.Sum256(b)
	}
	return out
}

// diffDigests lists the files that changed between two storeDigests.
// SQLite's side files and the fetch lock may appear beside a store that
// could not be written: only their creation is allowed.
func diffDigests(before, after map[string][32]byte) []string {
	var diff []string
	for name, sum := range after {
		b, ok := before[name]
		switch {
		case !ok && (strings.HasSuffix(name, "-wal") || strings.HasSuffix(name, "-shm") || strings.HasSuffix(name, ".fetch.lock")):
		case !ok:
			diff = append(diff, "created "+name)
		case b != sum:
			diff = append(diff, "changed "+name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			diff = append(diff, "removed "+name)
		}
	}
	sort.Strings(diff)
	return diff
}

// dataDigest is a digest of what the store holds: every item with its
// marks, every feed with its fetch state, the schema version.
func dataDigest(t testing.TB, path string) string {
	t.Helper()
	db := openStore(t, path)
	defer db.Close()
	h := sha256.New()
	for _, q := range []string{
		`SELECT group_concat(id || '|' || feed_id || '|' || key || '|' || title || '|' || read || '|' || starred, char(10)) FROM (SELECT * FROM items ORDER BY id)`,
		`SELECT group_concat(id || '|' || url || '|' || etag || '|' || last_error || '|' || failures || '|' || last_check, char(10)) FROM (SELECT * FROM feeds ORDER BY id)`,
		`SELECT CAST(user_version AS TEXT) FROM pragma_user_version`,
	} {
		var s string
		if err := db.SQL().QueryRow(q).Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		h.Write([]byte(s))
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// mountTmpfs mounts a tmpfs of size bytes at a new folder, or skips.
func mountTmpfs(t *testing.T, size int64) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0755", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s); run as root on Linux to test this", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// envFeed serves a feed of n items whose GUIDs carry the request number,
// so every fetch has new items to save.
func envFeed(srv *feedServer, n int) string {
	g := &genFeed{feed: 0, perGen: n, pinned: 0, base: time.Now().Add(-24 * time.Hour).Truncate(time.Second)}
	return srv.handle("/env", g.ServeHTTP)
}

// copyStore copies a closed store (no WAL) into dir.
func copyStore(t *testing.T, from, dir string) string {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(from + "-wal"); err == nil {
		t.Fatalf("%s has a WAL: it was not closed cleanly", from)
	}
	to := filepath.Join(dir, "aiwatch.db")
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return to
}

// writeCommands are commands that must write to the store.
func writeCommands(itemID string, feedID int64) [][]string {
	return [][]string{
		{"read", itemID},
		{"star", itemID},
		fetchArgs([]int64{feedID}),
		{"prune", "--older-than", "1d"},
		{"feeds", "add", "http://127.0.0.1:1/never", "--no-discover"},
	}
}

// assertCleanFailure checks that a command failed with exit 1 and one
// clear line that says want, with no Go error chain noise.
func assertCleanFailure(t *testing.T, r procResult, args []string, want ...string) {
	t.Helper()
	if r.code != 1 {
		t.Errorf("aiwatch %s: exit %d, want 1\n%s", strings.Join(args, " "), r.code, r)
		return
	}
	msg := r.stderr + r.stdout
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("aiwatch %s: the message does not say %q:\n%s", strings.Join(args, " "), w, msg)
		}
	}
	for _, noise := range []string{"panic", "goroutine", "database is locked", "no such file or directory", "SQLite build"} {
		if strings.Contains(msg, noise) {
			t.Errorf("aiwatch %s: the message says %q, which misleads:\n%s", strings.Join(args, " "), noise, msg)
		}
	}
}

// TestReadOnlyStore makes a store read-only in each way this machine
// allows and runs every kind of write against it: each fails with an
// error that says the store is read-only, and the store is unchanged.
// Reading commands either work or fail just as clearly.
//
// KNOWN FAILURES (issue 7, point 5), in store/sqlite (see the report):
// on a read-only mount the store cannot be opened at all (WAL needs its
// -shm file) and the error says "unable to open database file: no such
// file or directory" instead of read-only; and aiwatch check on an
// immutable store reports the full-text check's "attempt to write a
// readonly database" as damage ("the store has problems").
func TestReadOnlyStore(t *testing.T) {
	srv := newFeedServer(t)
	path, ids := newTestStore(t, envFeed(srv, 20))
	mustAiwatch(t, path, fetchArgs(ids)...)
	db := openStore(t, path)
	item := queryStrings(t, db.SQL(), `SELECT CAST(min(id) AS TEXT) FROM items WHERE feed_id = ?`, ids[0])[0]
	db.Close()
	want := dataDigest(t, path)

	for _, tc := range []struct {
		name string
		// setup makes a copy of the store read-only and returns its path.
		setup func(t *testing.T) string
	}{
		{"read-only mount", func(t *testing.T) string {
			dir := mountTmpfs(t, 64<<20)
			p := copyStore(t, path, dir)
			if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
				t.Skipf("cannot remount read-only: %v: %s", err, out)
			}
			return p
		}},
		{"immutable file", func(t *testing.T) string {
			p := copyStore(t, path, t.TempDir())
			if out, err := exec.Command("chattr", "+i", p).CombinedOutput(); err != nil {
				t.Skipf("cannot make the file immutable (chattr +i): %v: %s", err, out)
			}
			t.Cleanup(func() { exec.Command("chattr", "-i", p).Run() })
			return p
		}},
		{"permission bits", func(t *testing.T) string {
			if os.Geteuid() == 0 {
				t.Skip("running as root, whom permission bits do not stop; the other cases cover root")
			}
			dir := t.TempDir()
			p := copyStore(t, path, dir)
			os.Chmod(p, 0o444)
			os.Chmod(dir, 0o555)
			t.Cleanup(func() { os.Chmod(dir, 0o755) })
			return p
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.setup(t)
			dir := filepath.Dir(p)
			before := storeDigest(t, dir)
			for _, args := range writeCommands(item, ids[0]) {
				r := runAiwatch(t, p, args...)
				assertCleanFailure(t, r, args, "read-only")
			}
			for _, args := range [][]string{{"items", "--limit", "5"}, {"firms"}, {"check"}} {
				r := runAiwatch(t, p, args...)
				if r.code != 0 {
					assertCleanFailure(t, r, args, "read-only")
				}
			}
			if diff := diffDigests(before, storeDigest(t, dir)); len(diff) > 0 {
				t.Errorf("the store's files changed: %v", diff)
			}
			if tc.name == "immutable file" {
				exec.Command("chattr", "-i", p).Run()
			}
			if tc.name != "read-only mount" {
				if got := dataDigest(t, p); got != want {
					t.Errorf("the store's data changed")
				}
			}
		})
	}
}

// TestFullDisk puts the store on a small tmpfs and fills it: a fetch that
// has new items to save, and marks, fail with an error that says the disk
// is full, and the store is unchanged; once space is freed, the store
// checks clean and the same fetch succeeds.
//
// KNOWN FAILURES (issue 7, point 5), see the report: with no space at all
// the error says "disk I/O error: no space left on device" (store/sqlite
// does not map ENOSPC to ErrDiskFull when opening), and when the save of
// a fetch fails the summary still counts its items as new (feeds
// RefreshFeed keeps the stats of the rolled-back save).
func TestFullDisk(t *testing.T) {
	srv := newFeedServer(t)
	src, ids := newTestStore(t, envFeed(srv, 400))
	mustAiwatch(t, src, fetchArgs(ids)...)
	db := openStore(t, src)
	item := queryStrings(t, db.SQL(), `SELECT CAST(min(id) AS TEXT) FROM items WHERE feed_id = ?`, ids[0])[0]
	db.Close()

	for _, tc := range []struct {
		name string
		free int64 // bytes left free
	}{
		{"no space at all", 0},
		{"a little space", 96 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := mountTmpfs(t, 16<<20)
			p := copyStore(t, src, dir)
			want := dataDigest(t, p)
			fillDisk(t, dir, tc.free)
			before := storeDigest(t, dir)

			r := runAiwatch(t, p, fetchArgs(ids)...)
			assertCleanFailure(t, r, []string{"fetch"}, "full")
			if strings.Contains(r.stdout, "feeds:") && !strings.Contains(r.stdout, " 0 new items") {
				t.Errorf("the summary counts items that were not saved: %s", r.stdout)
			}
			r = runAiwatch(t, p, "read", item)
			if r.code != 0 {
				assertCleanFailure(t, r, []string{"read"}, "full")
			}
			if diff := diffDigests(before, storeDigest(t, dir)); len(diff) > 0 && r.code != 0 {
				t.Errorf("the store's files changed on a full disk: %v", diff)
			}

			// Free the space: the store is whole, holds what it held (the
			// read mark aside, if it fitted), and works again.
			for _, e := range mustReadDir(t, dir) {
				if strings.HasPrefix(e, "filler") {
					os.Remove(filepath.Join(dir, e))
				}
			}
			checkStore(t, p)
			if r.code == 0 {
				mustAiwatch(t, p, "unread", item)
			}
			if got := dataDigest(t, p); got != want {
				t.Errorf("the store's data changed on a full disk")
			}
			mustAiwatch(t, p, fetchArgs(ids)...)
			checkStore(t, p)
		})
	}
}

// fillDisk writes filler files into dir until only free bytes are left.
func fillDisk(t *testing.T, dir string, free int64) {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	avail := int64(st.Bavail) * st.Bsize
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for left := avail - free; left > 0; {
		n := min(left, int64(len(chunk)))
		if _, err := f.Write(chunk[:n]); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				break
			}
			t.Fatal(err)
		}
		left -= n
	}
	if free == 0 {
		// Take the last blocks too, whatever rounding left.
		for i := 0; ; i++ {
			g, err := os.Create(filepath.Join(dir, fmt.Sprintf("filler%d", i)))
			if err != nil {
				break
			}
			_, err = g.Write(chunk[:4096])
			g.Close()
			if err != nil {
				break
			}
		}
	}
}

func mustReadDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestMissingHome runs aiwatch with no --db and no AIWATCH_DB and a
// missing or unset home directory: it says so, suggests --db, and creates
// nothing.
func TestMissingHome(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no", "such", "home")
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"missing home", []string{"HOME=" + missing}, "does not exist"},
		{"unset home", nil, "$HOME is not set"},
		{"home is a file", []string{"HOME=" + os.Args[0]}, "does not exist"},
		{"relative XDG_DATA_HOME is ignored", []string{"HOME=" + missing, "XDG_DATA_HOME=relative/data"}, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, args := range [][]string{{"items"}, {"read", "1"}, {"fetch"}, {"check"}} {
				cmd := exec.Command(os.Args[0], args...)
				cmd.Env = append(childEnv(""), tc.env...)
				cmd.Dir = t.TempDir()
				r := runCmd(t, cmd)
				assertCleanFailure(t, r, args, tc.want, "--db")
				if entries := mustReadDir(t, cmd.Dir); len(entries) > 0 {
					t.Errorf("aiwatch %s created %v in the working folder", args[0], entries)
				}
			}
			if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
				t.Errorf("something was created on the way to the missing home: %v", err)
			}
		})
	}
}

// TestStoreRefused checks the stores aiwatch must refuse without writing
// a byte: one from a newer aiwatch, a file that is not SQLite, and a
// store whose header is damaged.
func TestStoreRefused(t *testing.T) {
	base, _ := newTestStore(t)
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, path string)
		want  string
	}{
		{"newer schema", func(t *testing.T, path string) {
			db := openStore(t, path)
			if _, err := db.SQL().Exec(`PRAGMA user_version = 99`); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}, "newer version of aiwatch"},
		{"not SQLite", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("these are my notes, not a database\n"), 0o644)
		}, "not an SQLite database"},
		{"damaged header", func(t *testing.T, path string) {
			b, _ := os.ReadFile(path)
			copy(b[16:], bytes.Repeat([]byte{0xff}, 84))
			os.WriteFile(path, b, 0o644)
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := copyStore(t, base, dir)
			tc.setup(t, path)
			before := storeDigest(t, dir)
			for _, args := range [][]string{{"items"}, {"read", "1"}, {"check"}, {"fetch"}, {"backup", filepath.Join(t.TempDir(), "b.db")}} {
				r := runAiwatch(t, path, args...)
				assertCleanFailure(t, r, args, tc.want)
			}
			if diff := diffDigests(before, storeDigest(t, dir)); len(diff) > 0 {
				t.Errorf("a refused store was touched: %v", diff)
			}
		})
	}
}
