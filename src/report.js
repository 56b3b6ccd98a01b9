// The script of `updraft report`'s page (made a C string by make).
//
// It reads the URL's fragment and shows what it asks for; clicks only
// rewrite the fragment. The fragment is "&"-separated NAME=VALUE pairs:
//   sort=FIELD        sort the runs tables by FIELD (-FIELD: descending)
//   filter=EXPR       keep the runs that match; several filters all must
//                     EXPR: FIELD:VALUE or FIELD=VALUE (equal; for label:
//                     has the label), FIELD!=VALUE, FIELD<VALUE, <=, >, >=
//                     (as numbers when both are), or a word found anywhere
//   run=DAG/RUN       the run whose Gantt chart and logs show (default:
//                     each DAG's newest)
//   dag=DAG           scroll to that DAG
// FIELD is a column's data-field (run_id, state, owner, params.lr,
// metrics.val_loss...) or its data-alias (metrics.TASK.KEY).
// Only text is ever written into the page (textContent), never markup.
"use strict";

(function () {
	function parseHash() {
		var out = { sort: null, filters: [], runs: [], dag: null };
		var hash = location.hash.replace(/^#/, "");
		hash.split("&").forEach(function (pair) {
			var eq = pair.indexOf("=");
			if (eq < 0)
				return;
			var name = pair.slice(0, eq), value = pair.slice(eq + 1);
			try {
				value = decodeURIComponent(value);
			} catch (e) {
				return;
			}
			if (name === "sort")
				out.sort = value;
			else if (name === "filter" && value !== "")
				out.filters.push(value);
			else if (name === "run")
				out.runs.push(value);
			else if (name === "dag")
				out.dag = value;
		});
		return out;
	}

	function enc(s) {
		return encodeURIComponent(s).replace(/%3A/g, ":")
		    .replace(/%2F/g, "/").replace(/%2C/g, ",");
	}

	function writeHash(h) {
		var parts = [];
		if (h.sort)
			parts.push("sort=" + enc(h.sort));
		h.filters.forEach(function (f) { parts.push("filter=" + enc(f)); });
		h.runs.forEach(function (r) { parts.push("run=" + enc(r)); });
		if (h.dag)
			parts.push("dag=" + enc(h.dag));
		location.hash = parts.join("&");
	}

	// The column of a table that answers to field, or -1.
	function column(table, field) {
		var heads = table.tHead.rows[0].cells;
		for (var i = 0; i < heads.length; i++) {
			var h = heads[i];
			if (h.dataset.field === field || h.dataset.alias === field)
				return i;
		}
		return -1;
	}

	// A cell's values: its labels, or its data-v, or its text.
	function values(cell) {
		if (!cell)
			return [];
		var labels = cell.querySelectorAll("span.label");
		if (labels.length > 0)
			return Array.prototype.map.call(labels,
			    function (l) { return l.textContent; });
		if (cell.dataset.v !== undefined)
			return [cell.dataset.v];
		var t = cell.textContent;
		return t === "" ? [] : [t];
	}

	function number(s) {
		if (typeof s !== "string" || s.trim() === "")
			return NaN;
		return Number(s);
	}

	function compare(a, b) {
		var x = number(a), y = number(b);
		if (!isNaN(x) && !isNaN(y))
			return x < y ? -1 : x > y ? 1 : 0;
		return a < b ? -1 : a > b ? 1 : 0;
	}

	function matchOne(row, table, expr) {
		var m = /^([A-Za-z_][\w.\-]*)(!=|<=|>=|<|>|=|:)(.*)$/.exec(expr);
		var col = m ? column(table, m[1]) : -1;
		// Not a column's name: a word to find anywhere in the row.
		if (col < 0) {
			return row.textContent.toLowerCase()
			    .indexOf(expr.toLowerCase()) >= 0;
		}
		var op = m[2], want = m[3];
		var got = values(row.cells[col]);
		if (op === "!=")
			return got.indexOf(want) < 0;
		return got.some(function (v) {
			var c = compare(v, want);
			switch (op) {
			case ":": case "=": return v === want;
			case "<": return c < 0;
			case "<=": return c <= 0;
			case ">": return c > 0;
			case ">=": return c >= 0;
			}
			return false;
		});
	}

	function applyTable(table, h) {
		var body = table.tBodies[0];
		var rows = Array.prototype.slice.call(body.rows);
		var shown = 0;
		rows.forEach(function (row) {
			var ok = h.filters.every(function (f) {
				return matchOne(row, table, f);
			});
			row.hidden = !ok;
			if (ok)
				shown++;
		});
		var heads = table.tHead.rows[0].cells;
		for (var i = 0; i < heads.length; i++)
			heads[i].removeAttribute("aria-sort");
		if (h.sort) {
			var desc = h.sort.charAt(0) === "-";
			var field = desc ? h.sort.slice(1) : h.sort;
			var col = column(table, field);
			if (col >= 0) {
				heads[col].setAttribute("aria-sort",
				    desc ? "descending" : "ascending");
				// Stable; rows without a value go last.
				rows = rows.map(function (r, i) {
					return { r: r, i: i, v: values(r.cells[col])[0] };
				});
				rows.sort(function (a, b) {
					if (a.v === undefined || b.v === undefined) {
						if (a.v !== b.v)
							return a.v === undefined ? 1 : -1;
						return a.i - b.i;
					}
					var c = compare(a.v, b.v);
					return (desc ? -c : c) || a.i - b.i;
				});
				rows.forEach(function (x) { body.appendChild(x.r); });
			}
		}
		var section = table.closest("section.dag");
		var count = section.querySelector(".count");
		if (count)
			count.textContent = shown + " of " + rows.length + " runs";
		var input = section.querySelector("input.filter");
		if (input && document.activeElement !== input)
			input.value = h.filters.join(" ");
	}

	// Show the chosen run of a DAG section; mark it in grid and table.
	function applyRun(section, h) {
		var dag = section.dataset.dag, chosen = null;
		var details = section.querySelectorAll("section.detail");
		h.runs.forEach(function (r) {
			var slash = r.indexOf("/");
			var d = slash < 0 ? dag : r.slice(0, slash);
			var id = slash < 0 ? r : r.slice(slash + 1);
			if (d !== dag)
				return;
			for (var i = 0; i < details.length; i++) {
				if (details[i].dataset.run === id)
					chosen = id;
			}
		});
		if (chosen === null && details.length > 0)
			chosen = details[0].dataset.run;	// the newest
		for (var i = 0; i < details.length; i++)
			details[i].hidden = details[i].dataset.run !== chosen;
		section.querySelectorAll("table.grid td.cell, table.runs tr")
		    .forEach(function (el) {
			var a = el.matches("tr") ? el : el.querySelector("a");
			var on = a !== null && a.dataset.run === chosen &&
			    a.dataset.dag === dag;
			el.classList.toggle("chosen", on);
		});
	}

	function apply() {
		var h = parseHash();
		document.querySelectorAll("table.runs").forEach(function (t) {
			applyTable(t, h);
		});
		document.querySelectorAll("section.dag").forEach(function (s) {
			applyRun(s, h);
			if (h.dag !== null && s.dataset.dag === h.dag)
				s.scrollIntoView();
		});
	}

	document.addEventListener("click", function (ev) {
		var t = ev.target;
		var link = t.closest("a.runlink, a.daglink");
		var head = t.closest("table.runs th[data-field]");
		var bar = t.closest("svg.gantt g.bar");
		var h = parseHash();
		if (link && link.classList.contains("daglink")) {
			ev.preventDefault();
			h.dag = link.dataset.dag;
			writeHash(h);
		} else if (link) {
			ev.preventDefault();
			var dag = link.dataset.dag;
			h.runs = h.runs.filter(function (r) {
				return r.slice(0, r.indexOf("/")) !== dag;
			});
			h.runs.push(dag + "/" + link.dataset.run);
			h.dag = null;
			writeHash(h);
		} else if (head) {
			var f = head.dataset.field;
			h.sort = h.sort === f ? "-" + f : f;
			writeHash(h);
		} else if (bar) {
			var detail = bar.closest("section.detail");
			detail.querySelectorAll("table.tasks details")
			    .forEach(function (d) {
				if (d.dataset.task === bar.dataset.task) {
					d.open = true;
					d.scrollIntoView();
				}
			});
		}
	});

	document.addEventListener("change", function (ev) {
		if (!ev.target.matches("input.filter"))
			return;
		var h = parseHash();
		h.filters = ev.target.value.split(/\s+/).filter(function (w) {
			return w !== "";
		});
		writeHash(h);
	});

	window.addEventListener("hashchange", apply);
	apply();
})();
