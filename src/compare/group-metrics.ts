// The metrics a group of runs is summarised by (mean ± std…): light, so the Lab's code can name them
// without loading the statistics.
export const GROUP_METRICS = ['test_acc', 'best_val_acc', 'final_val_acc', 'final_train_acc', 'test_loss', 'final_val_loss', 'macro_f1', 'weighted_f1', 'duration'] as const;
export type GroupMetric = (typeof GROUP_METRICS)[number];
