import { FunnelChart as EchartsFunnel } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core.js';
import { useTranslation } from 'react-i18next';
import { formatShare } from '../../lib/format.js';
import type { FunnelStepRow } from './funnel-data.js';

// only the parts of ECharts the funnel uses, so the console's bundle does not carry every chart type
echarts.use([EchartsFunnel, TooltipComponent, CanvasRenderer]);

/**
 * The funnel as an ECharts funnel: one layer per stage, its width the members who reached it, labelled
 * with the count and the conversion to the next stage (the api's `conversionToNext`).
 */
export default function FunnelChart({ steps }: { steps: readonly FunnelStepRow[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const top = Math.max(1, ...steps.map((step) => step.reached));
  const option = {
    animationDuration: 300,
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        min: 0,
        max: top,
        minSize: '8%',
        left: '5%',
        width: '55%',
        gap: 2,
        label: { show: true, position: 'right', fontSize: 13 },
        labelLine: { show: true },
        data: steps.map((step) => ({
          name: t(`funnel.stage.${step.stage}`),
          value: step.reached,
          label: {
            formatter:
              step.conversionToNext === null
                ? `{b}: ${step.reached.toLocaleString(language)}`
                : `{b}: ${step.reached.toLocaleString(language)} → ${formatShare(step.conversionToNext, language)}`,
          },
        })),
      },
    ],
  };
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 360 }} />;
}
