package app_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

// e2eImportRows is how many rows the browser test imports: enough for the
// import to take a moment, so the progress bar shows.
const e2eImportRows = 6000

// e2eRejectEvery makes every so many rows a rejected one.
const e2eRejectEvery = 250

// e2eImportWait is how long the test waits for a dry run or an import.
const e2eImportWait = 30 * time.Second

// e2eWealthboxFile writes a Wealthbox contact export of n rows, every
// 250th with a date of birth that is no date, and returns its path.
func e2eWealthboxFile(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("First Name,Last Name,Email Address,Phone Number,Street Line 1,City,State,Zip Code,Contact Type,Tags,Household,Date of Birth,Marital Status\r\n")
	for i := 1; i <= n; i++ {
		dob := fmt.Sprintf("19%02d-%02d-%02d", 40+i%60, 1+i%12, 1+i%28)
		if i%e2eRejectEvery == 0 {
			dob = "sometime in spring"
		}
		fmt.Fprintf(&b, "Client%d,Family%d,client%d@example.com,+1 212 555 %04d,%d Main Street,Springfield,IL,627%02d,Client,newsletter,,%s,Married\r\n",
			i, i%97, i, i%10000, i, i%100, dob)
	}
	path := filepath.Join(t.TempDir(), "wealthbox-export.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBrowser_ImportAWealthboxExportWithDryRunProgressAndRejectedRows
// walks an import in a real browser: from the contact list to the upload,
// the proposed mapping, a preview, a dry run, the import with its progress
// bar moving, and the rejected rows with their download — with no CSP
// violation or script error, on a desktop and on a phone.
func TestBrowser_ImportAWealthboxExportWithDryRunProgressAndRejectedRows(t *testing.T) {
	chromiumPath(t)
	srv := apptest.Start(t, dbtest.Kinds()[0], nil)
	owner, adv := seeded(t, srv)
	seedBook(t, srv, owner, adv)
	file := e2eWealthboxFile(t, e2eImportRows)
	b := startBrowser(t, srv.URL)
	signIn(t, b, ownerEmail, ownerPass)

	// The contact list leads to the import, and offers the export.
	if status := b.open("/contacts"); status != http.StatusOK {
		t.Fatalf("GET /contacts: %d", status)
	}
	b.do("open the export menu", chromedp.Click(chromedp.CSS("details.export-menu > summary")))
	if !eval[bool](b, `document.querySelector("details.export-menu").open && !!document.querySelector('.export-panel button[value="xlsx"]')`) {
		t.Error("the export menu did not open with its formats")
	}
	fullShot(b, desktopWidth, desktopHeight, "contacts-export-menu-1280")
	b.do("close the export menu", chromedp.KeyEvent("\x1b"))
	if status := b.submit(`.page-header a[href="/imports"]`); status != http.StatusOK {
		t.Fatalf("open the import page: %d", status)
	}
	if h := b.text("h1"); h != "Import contacts" {
		t.Fatalf("import page heading %q", h)
	}
	fullShot(b, desktopWidth, desktopHeight, "imports-1280")

	// Upload: the mapping form proposes the fields.
	b.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	if status := b.submit(`form.import-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("upload: %d", status)
	}
	if p := b.path(); !strings.HasPrefix(p, "/imports/") {
		t.Fatalf("after the upload on %s", p)
	}
	importPath := b.path()
	if f := b.text(".flash-success"); !strings.Contains(f, "Uploaded “wealthbox-export.csv” with 13 columns.") {
		t.Errorf("upload flash %q", f)
	}
	for i, want := range []string{"first_name", "last_name", "email", "phone", "address_line1", "city", "region", "postal_code", "category", "tags", "", "birth_date", ""} {
		if got := run(b, "read map_"+fmt.Sprint(i), chromedp.Value(chromedp.CSS(fmt.Sprintf("#map_%d", i)))); got != want {
			t.Errorf("column %d proposed as %q, want %q", i, got, want)
		}
	}
	if s := b.text("#map_0-samples"); !strings.Contains(s, "Client1") {
		t.Errorf("samples of the first column: %q", s)
	}
	fullShot(b, desktopWidth, desktopHeight, "import-mapping-1280")

	// Keyboard: the label of a column focuses its select; ignore the
	// phone column from the keyboard.
	b.do("click the label of Phone Number", chromedp.Click(chromedp.CSS(`label[for="map_3"]`)))
	if !eval[bool](b, `document.activeElement && document.activeElement.id === "map_3"`) {
		t.Error("the column's label does not lead to its select")
	}
	eval[bool](b, `(function () { var s = document.querySelector("#map_3"); s.value = ""; s.dispatchEvent(new Event("change", { bubbles: true })); return true; })()`)

	// Preview: the first rows as they will be stored.
	if status := b.submit("#import-preview"); status != http.StatusOK {
		t.Fatalf("preview: %d", status)
	}
	if !b.exists("#preview table.preview-table") {
		t.Fatalf("no preview table: %q", b.text("main"))
	}
	if rows := eval[int](b, `document.querySelectorAll("#preview tbody tr").length`); rows != 10 {
		t.Errorf("the preview shows %d rows, want 10", rows)
	}
	if head := eval[string](b, `document.querySelector("#preview thead").textContent`); strings.Contains(head, "Phone") || !strings.Contains(head, "Date of birth") {
		t.Errorf("preview columns %q", head)
	}
	if got := run(b, "read map_3", chromedp.Value(chromedp.CSS("#map_3"))); got != "" {
		t.Errorf("the preview did not keep the ignored column: %q", got)
	}
	fullShot(b, desktopWidth, desktopHeight, "import-preview-1280")

	// The dry run: its progress, then its counts with the rejected rows.
	eval[bool](b, `(window.__beforeDryRun = true)`)
	if status := b.submit("#import-dry-run"); status != http.StatusOK {
		t.Fatalf("dry run: %d", status)
	}
	// While it runs, cancelling asks first in a dialog, and can be
	// declined. (The page reloads when the run ends, perhaps meanwhile.)
	asked, _ := tryEval[bool](b, `(function () {
		var button = document.querySelector("#import-cancel"), dialog = document.querySelector("#cancel-dialog");
		if (!button || !dialog) { return false; }
		button.click();
		var open = dialog.open;
		dialog.querySelector("[data-dialog-cancel]").click();
		return open && !dialog.open;
	})()`)
	t.Logf("the cancel dialog was seen while the dry run ran: %v", asked)
	e2eWaitFor(t, b, `!!document.querySelector(".dry-run-result")`, "the dry run's result")
	rejected := e2eImportRows / e2eRejectEvery
	want := fmt.Sprintf("Dry run: would create %s, update 0, leave 0 unchanged, reject %d.", e2eThousands(int64(e2eImportRows-rejected)), rejected)
	if got := b.text("#dry-title"); got != want {
		t.Errorf("dry run result %q, want %q", got, want)
	}
	if got := run(b, "read map_3 after the dry run", chromedp.Value(chromedp.CSS("#map_3"))); got != "" {
		t.Errorf("the dry run did not remember the ignored column: %q", got)
	}
	if n := count(t, srv, "SELECT COUNT(*) FROM contacts"); n != 14 {
		t.Errorf("the dry run stored contacts: %d", n)
	}
	fullShot(b, desktopWidth, desktopHeight, "import-dry-run-1280")

	// The import: the progress bar moves, then the page shows the result.
	if status := b.submit("#import-start"); status != http.StatusOK {
		t.Fatalf("import: %d", status)
	}
	if !b.exists("progress[data-progress-bar]") && !b.exists(".import-result") {
		t.Fatalf("after Import, neither progress nor result: %q", b.text("main"))
	}
	if b.exists("progress[data-progress-bar]") {
		if !eval[bool](b, `document.querySelector("#progress-title").textContent.indexOf("Importing") >= 0`) {
			t.Error("the progress card does not say it is importing")
		}
		b.screenshot("import-progress-1280")
		// The script follows the progress and reloads the page at the end.
		eval[bool](b, `(window.__progressPage = true)`)
		e2eWaitFor(t, b, `!!document.querySelector(".import-result") || document.querySelector("progress[data-progress-bar]").value > 0`, "the bar to move")
		if moved, _ := tryEval[bool](b, `!document.querySelector(".import-result")`); moved {
			t.Logf("the progress bar at %s", b.text("[data-progress-percent]"))
			b.screenshot("import-progress-moving-1280")
		}
	}
	e2eWaitFor(t, b, `!!document.querySelector(".import-result")`, "the import's result")
	if eval[bool](b, `window.__progressPage === true`) {
		t.Error("the page did not reload at the end of the import")
	}
	if got := b.text("#result-title"); got != "Imported "+e2eThousands(e2eImportRows)+" rows" {
		t.Errorf("result title %q", got)
	}
	if got := b.text(`[data-progress-count="created"]`); got != e2eThousands(int64(e2eImportRows-rejected)) {
		t.Errorf("created %q", got)
	}
	if got := b.text("#rejected-title"); got != fmt.Sprintf("Rejected rows: the first 20 of %d", rejected) {
		t.Errorf("rejections title %q", got)
	}
	if first := b.text(".rejections-table tbody tr"); !strings.Contains(first, fmt.Sprint(e2eRejectEvery+1)) || !strings.Contains(first, "Date of Birth") {
		t.Errorf("first rejected row %q", first)
	}
	href := run(b, "errors link", chromedp.AttributeValue(chromedp.CSS("#errors-download"), "href")).Value
	if href != importPath+"/errors.csv" {
		t.Errorf("errors link %q", href)
	}
	csvText := run(b, "fetch the rejected rows", chromedp.Evaluate[string](`fetch("`+href+`").then(function (r) {
		var cd = r.headers.get("Content-Disposition");
		return r.text().then(function (text) { return cd + "\n" + text; });
	})`, chromedp.EvalAwaitPromise))
	if !strings.HasPrefix(csvText, "attachment; filename=wealthbox-export-rejected.csv\n") || !strings.Contains(csvText, "Line,Error") ||
		strings.Count(csvText, ",sometime in spring,") != rejected {
		t.Errorf("the rejected rows file:\n%.400s", csvText)
	}
	fullShot(b, desktopWidth, desktopHeight, "import-done-1280")
	if n := count(t, srv, "SELECT COUNT(*) FROM contacts"); n != 14+e2eImportRows-rejected {
		t.Errorf("%d contacts after the import", n)
	}

	// The same pages on a phone.
	b.viewport(390, 844)
	for _, pg := range []struct{ path, shot string }{
		{"/imports", "imports-390"},
		{importPath, "import-done-390"},
	} {
		if status := b.open(pg.path); status != http.StatusOK {
			t.Fatalf("GET %s at 390px: %d", pg.path, status)
		}
		if w := eval[int](b, "document.documentElement.scrollWidth"); w > 390 {
			t.Errorf("%s is %dpx wide at a 390px viewport", pg.path, w)
		}
		fullShot(b, 390, 844, pg.shot)
	}
	// The export menu stays on the screen of a phone.
	if status := b.open("/contacts"); status != http.StatusOK {
		t.Fatalf("GET /contacts at 390px: %d", status)
	}
	b.do("open the export menu on a phone", chromedp.Click(chromedp.CSS("details.export-menu > summary")))
	if box := eval[[]float64](b, `(function () { var r = document.querySelector(".export-panel").getBoundingClientRect(); return [r.left, r.right]; })()`); box[0] < 0 || box[1] > 390 {
		t.Errorf("the export menu spans %v at a 390px viewport", box)
	}
	fullShot(b, 390, 844, "contacts-export-menu-390")

	// A second upload shows the mapping form on the phone.
	if status := b.open("/imports"); status != http.StatusOK {
		t.Fatalf("GET /imports at 390px: %d", status)
	}
	b.do("choose the file again", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	if status := b.submit(`form.import-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("second upload: %d", status)
	}
	if w := eval[int](b, "document.documentElement.scrollWidth"); w > 390 {
		t.Errorf("the mapping form is %dpx wide at a 390px viewport", w)
	}
	fullShot(b, 390, 844, "import-mapping-390")
	b.viewport(desktopWidth, desktopHeight)

	b.checkPage()
	for _, n := range b.watch.Notes() {
		t.Log(n)
	}
}

// tryEval evaluates expr, reporting an error instead of failing the test:
// the page may be reloading.
func tryEval[T any](b *browser, expr string) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr))
}

// e2eWaitFor polls a JavaScript condition until it holds, through the
// page's own reloads, for as long as an import may take.
func e2eWaitFor(t *testing.T, b *browser, cond, what string) {
	t.Helper()
	deadline := time.Now().Add(e2eImportWait)
	for time.Now().Before(deadline) {
		if ok, err := tryEval[bool](b, cond); err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("waiting for %s: %s never held (page %s)", what, cond, b.location())
}

// e2eThousands writes n with comma separators, as the pages do.
func e2eThousands(n int64) string {
	s := fmt.Sprint(n)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
