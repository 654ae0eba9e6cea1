extension DashboardLayout {
    /// The dashboard's one style sheet, inlined in every page.
    ///
    /// The system font stack (nothing to download), tables with zebra rows and right-aligned
    /// figures in tabular numerals so columns of money line up, and light and dark colours from
    /// the reader's own setting. Chart colours are custom properties shared by the SVG and the
    /// legends, so a series and its key always match.
    static let styleSheet = """
        :root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#ffffff;--panel:#f6f8fa;--line:#d1d9e0;\
        --link:#0969da;--spend:#0969da;--requested:#9a6700;--baseline:#cf222e;--good:#1a7f37;--bad:#cf222e}
        @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;\
        --line:#3d444d;--link:#4493f8;--spend:#4493f8;--requested:#d29922;--baseline:#f85149;--good:#3fb950;--bad:#f85149}}
        *{box-sizing:border-box}
        body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;\
        color:var(--fg);background:var(--bg)}
        a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
        header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem;padding:.6rem 1.5rem;\
        border-bottom:1px solid var(--line);background:var(--panel)}
        .brand{font-weight:650;color:var(--fg);font-size:16px}
        nav a{padding:.2rem .45rem;border-radius:6px;color:var(--fg)}
        nav a[aria-current=page]{background:var(--bg);border:1px solid var(--line);font-weight:600}
        nav .sep{color:var(--muted);margin:0 .1rem}
        form.period{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem .6rem;margin-left:auto;font-size:13px}
        .presets a{padding:.1rem .35rem;border-radius:5px}
        .presets a[aria-current=true]{background:var(--bg);border:1px solid var(--line);color:var(--fg)}
        input,select,button{font:inherit;font-size:13px;padding:.15rem .35rem;color:var(--fg);background:var(--bg);\
        border:1px solid var(--line);border-radius:5px}
        button{cursor:pointer}
        main{padding:1rem 1.5rem 2rem;max-width:1500px}
        h1{font-size:22px;margin:.25rem 0 .75rem}h2{font-size:17px;margin:1.5rem 0 .5rem}h3{font-size:14px;margin:1rem 0 .4rem}
        p.lead,.muted,.note{color:var(--muted)}
        .note{font-size:12px;margin:.3rem 0}
        footer{padding:1rem 1.5rem;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:.75rem;margin:.5rem 0 1rem}
        .card{border:1px solid var(--line);border-radius:8px;padding:.55rem .8rem;background:var(--panel)}
        .card .label{color:var(--muted);font-size:12px}
        .card .value{font-size:21px;font-variant-numeric:tabular-nums;white-space:nowrap}
        .card .detail{color:var(--muted);font-size:12px}
        .pos{color:var(--good)}.neg{color:var(--bad)}
        .columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:0 1.5rem}
        .table-wrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:13px;margin:.25rem 0 .5rem}
        th,td{padding:.28rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        thead th{position:sticky;top:0;background:var(--bg);font-weight:600;white-space:nowrap;border-bottom:2px solid var(--line)}
        tbody tr:nth-child(even){background:var(--panel)}
        tfoot td{font-weight:600;border-top:2px solid var(--line)}
        th.num,td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        th a{color:var(--fg)}th[aria-sort] a{color:var(--link)}
        td.key{max-width:22rem;overflow-wrap:anywhere;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
        td.agent{padding-left:calc(.5rem + var(--depth,0) * 1.25rem);white-space:nowrap}
        tr[data-side-call=true] td{color:var(--muted)}
        .sub{display:block;color:var(--muted);font-size:11px}
        .flag{display:inline-block;padding:0 .4rem;margin:0 .2rem .15rem 0;border:1px solid var(--line);border-radius:9px;\
        font-size:11px;white-space:nowrap;background:var(--bg)}
        .verdict-success,.verdict-tests_passed{color:var(--good)}.verdict-failure,.verdict-tests_failed{color:var(--bad)}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0 1rem}
        dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
        form.filters{display:flex;flex-wrap:wrap;align-items:end;gap:.5rem .75rem;margin:.5rem 0;padding:.6rem .75rem;\
        border:1px solid var(--line);border-radius:8px;background:var(--panel)}
        form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:.1rem}
        .empty{margin:1.5rem 0;padding:1.5rem 2rem;border:1px dashed var(--line);border-radius:8px;color:var(--muted)}
        .empty h2{margin-top:0;color:var(--fg)}
        pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.75rem;overflow:auto;\
        font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
        .legend{display:flex;gap:1rem;font-size:12px;color:var(--muted);margin:.25rem 0}
        .legend span::before{content:"";display:inline-block;width:.8rem;height:.2rem;margin-right:.3rem;vertical-align:middle;\
        background:currentColor}
        .legend .spend{color:var(--spend)}.legend .requested{color:var(--requested)}.legend .baseline{color:var(--baseline)}
        svg.chart{display:block;width:100%;max-width:960px;height:auto}
        svg.chart .grid{stroke:var(--line);stroke-width:1}
        svg.chart .axis{stroke:var(--muted);stroke-width:1}
        svg.chart text{fill:var(--muted);font-size:11px;font-family:inherit}
        svg.chart polyline{fill:none;stroke-width:2;stroke-linejoin:round}
        svg.chart [data-series=spend]{stroke:var(--spend);fill:var(--spend)}
        svg.chart [data-series=requested]{stroke:var(--requested);fill:var(--requested)}
        svg.chart [data-series=baseline]{stroke:var(--baseline);fill:var(--baseline)}
        svg.chart polyline[data-series]{fill:none}
        svg.chart rect.bar{fill:var(--spend)}
        svg.chart .cap-line{stroke:var(--baseline);stroke-width:1.5;stroke-dasharray:5 3}
        svg.chart text.cap-label{fill:var(--baseline);font-weight:600}
        details{margin:.75rem 0}summary{cursor:pointer;color:var(--muted)}

        """
}
