/* Draws the analysis page's chart from the JSON the server put in the page (json_script): the
   first indicator's columns as bars over the table's rows. Every figure is also in the table. */
(function () {
  const source = document.getElementById("analysis-chart-data");
  const canvas = document.getElementById("chart-analysis");
  if (!source || !canvas || !window.Chart) return;
  const spec = JSON.parse(source.textContent);
  const palette = ["#8b1a1a", "#cc7a00", "#3d7ea6", "#6c757d", "#198754", "#6f42c1"];
  const locale = document.documentElement.lang || "vi";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label, data: s.data, backgroundColor: palette[i % palette.length],
      })),
    },
    options: { locale, responsive: true, plugins: { legend: { position: "bottom" } },
               scales: { y: { beginAtZero: true } } },
  });
})();
