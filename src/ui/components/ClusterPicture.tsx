// The cluster picture on the review and summary screens (see cluster-layout.ts).
import { Box, Text } from 'ink';
import { clusterPicture, type ClusterModel, type Tone } from './cluster-layout.js';

const TONE_PROPS: Record<Tone, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  plain: {},
  this: { color: 'green', bold: true },
  dim: { dimColor: true },
  arrow: { color: 'cyan' },
};

export function ClusterPicture({ model, width }: { model: ClusterModel; width: number }) {
  return (
    <Box flexDirection="column">
      {clusterPicture(model, width).map((line, r) => (
        <Text key={r} wrap="truncate-end">
          {line.map((s, i) => (
            <Text key={i} {...TONE_PROPS[s.tone]}>
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
