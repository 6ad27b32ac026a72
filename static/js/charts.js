/* Draws the dashboard charts from the JSON of the charts endpoint named by #dashboard-charts
   (data-src), loaded after the page: the browser revalidates it with its ETag and gets a 304
   while the figures are unchanged. No rules here: every number comes from stored values, and
   every chart has its table on the page. */
(function () {
  const holder = document.getElementById("dashboard-charts");
  if (!holder || !holder.dataset.src || !window.Chart) return;
  const palette = ["#8b1a1a", "#cc7a00", "#3d7ea6", "#6c757d"];
  // Ticks and tooltips in the page's language (vi: 1,58); legend texts come formatted.
  const locale = document.documentElement.lang || "vi";

  function draw(id, spec, type, extra) {
    const canvas = document.getElementById(id);
    if (!canvas || !spec || !spec.labels.length) return;
    const datasets = spec.series.map((s, i) => ({
      label: s.label, data: s.data, backgroundColor: palette[i % palette.length],
      borderColor: palette[i % palette.length], type: (extra && extra.types && extra.types[i]) || type,
      fill: false, tension: 0.2,
    }));
    (spec.bands || []).forEach((band, i) => {
      ["low", "high"].forEach((end) => datasets.push({
        type: "line", label: `${band.label}: ${band[`${end}_text`] || band[end]}`, data: spec.labels.map(() => band[end]),
        borderColor: i ? "#198754" : "#0d6efd", borderDash: [6, 4], pointRadius: 0, borderWidth: 1,
      }));
    });
    new Chart(canvas, { type, data: { labels: spec.labels, datasets },
      options: { locale, responsive: true, plugins: { legend: { position: "bottom" } },
                 scales: { y: { beginAtZero: true } }, indexAxis: (extra && extra.indexAxis) || "x" } });
  }
  fetch(holder.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data) return;  // the tables below the charts still show every figure
      draw("chart-breakdown", data.breakdown, "bar");
      draw("chart-trend", data.trend, "line");
      draw("chart-profile", data.profile, "bar", { indexAxis: "y" });
    })
    .catch(() => {});
})();
